import type { IDataObject } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import { collection, sortCollection, text } from '../../shared/props';
import type { Params } from '../../shared/params';
import { pathOf } from '../../shared/transport';
import { productLocator, sortValue } from '../fields';
import { v1 } from '../vendor';

const productPath = (p: Params, suffix = '') =>
	pathOf(v1(`/products/{id}${suffix}`), { id: p.required('productId', 'uuid') });

/** Product details add a long description; Simplify keeps what identifies the product. */
const simplifyProduct = (product: IDataObject): IDataObject => ({
	id: product.id,
	name: product.name,
	vendorName: product.vendorName,
	sku: product.sku,
	vendorSku: product.vendorSku ?? product.altVendorSku,
	requiresCommitment: product.requiresCommitment,
	shortDescription: product.shortDescription,
});

export const product: Resource = {
	value: 'product',
	name: 'Product',
	operations: [
		op({
			value: 'get',
			name: 'Get',
			action: 'Get a product',
			properties: [productLocator()],
			simplify: simplifyProduct,
			request: (p) => ({ method: 'GET', path: productPath(p) }),
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many products',
			paginate: true,
			simplify: simplifyProduct,
			properties: [
				collection('filters', [
					text('Search', 'search', { description: 'Matches product name, vendor, SKU or ID' }),
					text('Vendor Name', 'vendorName', { placeholder: 'Microsoft' }),
				]),
				sortCollection([
					['Name', 'name'],
					['Vendor', 'vendor'],
				]),
			],
			request: (p) => ({
				method: 'GET',
				path: v1('/products'),
				qs: { ...p.collection('filters'), sort: sortValue(p.collection('sort')) },
			}),
		}),
		op({
			value: 'getDependencies',
			name: 'Get Dependencies',
			action: 'Get the dependencies of a product',
			description:
				'Commitment terms (their IDs are the Commitment Term IDs for orders) and products this product needs',
			properties: [productLocator()],
			request: (p) => ({ method: 'GET', path: productPath(p, '/dependencies') }),
		}),
		op({
			value: 'getPricing',
			name: 'Get Pricing',
			action: 'Get the pricing of a product',
			description: 'One item per price (Flat, Volume, Tiered, Mark-Up) with its rates',
			properties: [
				productLocator(),
				{
					displayName: 'Options',
					name: 'pricingOptions',
					type: 'collection',
					placeholder: 'Add Option',
					default: {},
					options: [
						{
							displayName: 'Company ID',
							name: 'companyId',
							type: 'string',
							default: '',
							description: 'Pricing specific to this company',
						},
					],
				},
			],
			itemsKey: 'content',
			request: (p) => ({
				method: 'GET',
				path: productPath(p, '/pricing'),
				qs: p.collection('pricingOptions', { companyId: 'uuid' }),
			}),
		}),
		op({
			value: 'getProvisioningDetails',
			name: 'Get Provisioning Details',
			action: 'Get the provisioning details of a product',
			description: 'The keys (and allowed values) an order of this product must send as provisioning details',
			properties: [productLocator()],
			itemsKey: 'content',
			request: (p) => ({ method: 'GET', path: productPath(p, '/provision-details') }),
		}),
	],
};
