import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Params } from '../shared/params';
import { collection, date, humanize, sortCollection, text } from '../shared/props';
import { connectId, type IdType } from './fields';
import { checkRql, rql, RqlSyntaxError } from './rql';

/** Which structured filters a listing offers and the RQL property each one filters. */
export interface ListFilters {
	statuses?: string[];
	types?: string[];
	status?: string;
	type?: string;
	product?: string;
	asset?: string;
	marketplace?: string;
	created?: string;
	updated?: string;
	/** More ID filters: `name` in Filters, the RQL `path` and the ID type. */
	ids?: Array<{ field: string; label: string; path: string; idType: IdType }>;
	/** Properties offered for ordering (first is the default). */
	ordering?: Array<[string, string]>;
}

const multi = (displayName: string, name: string, values: string[]): INodeProperties => ({
	displayName,
	name,
	type: 'multiOptions',
	options: values.map((v) => ({ name: humanize(v), value: v })).sort((a, b) => a.name.localeCompare(b.name)),
	default: [],
});

/** The Filters and Sort parameters of a Get Many. */
export function listFilterProperties(config: ListFilters): INodeProperties[] {
	const options: INodeProperties[] = [];
	if (config.statuses) options.push(multi('Status', 'status', config.statuses));
	if (config.types) options.push(multi('Type', 'type', config.types));
	if (config.product) options.push(text('Product IDs', 'product', { placeholder: 'PRD-123-456-789, PRD-…', description: 'One or more product IDs, comma-separated' }));
	if (config.asset) options.push(text('Asset ID', 'asset', { placeholder: 'AS-1234-5678-9012' }));
	if (config.marketplace) options.push(text('Marketplace ID', 'marketplace', { placeholder: 'MP-12345' }));
	for (const id of config.ids ?? []) options.push(text(id.label, id.field));
	if (config.created) {
		options.push(date('Created After', 'createdAfter'), date('Created Before', 'createdBefore'));
	}
	if (config.updated) {
		options.push(date('Updated After', 'updatedAfter'), date('Updated Before', 'updatedBefore'));
	}
	options.push(
		text('RQL', 'rql', {
			placeholder: 'and(eq(asset.connection.type,production),ne(asset.status,suspended))',
			description:
				'Any other RQL filter, joined to the fields above with AND. See https://connect.cloudblue.com/community/developers/api/rql/.',
		}),
	);
	const properties = [collection('filters', options)];
	if (config.ordering) properties.push(sortCollection(config.ordering));
	return properties;
}

function ids(p: Params, name: string, type: IdType, raw: unknown): string[] {
	const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
	return list
		.map((v) => (typeof v === 'string' ? v.trim() : v))
		.filter((v) => v !== '')
		.map((v) => p.convert(`filters.${name}`, v, connectId(type)) as string);
}

/**
 * The RQL query string for the Filters and Sort parameters: structured filters joined with
 * AND, the user's own RQL checked first, ordering last.
 */
export function compileFilters(p: Params, config: ListFilters): string {
	const filters = p.collection('filters', {
		rql: 'string',
		createdAfter: 'dateTime',
		createdBefore: 'dateTime',
		updatedAfter: 'dateTime',
		updatedBefore: 'dateTime',
	});
	const terms: string[] = [];
	const status = filters.status as string[] | undefined;
	if (status?.length && config.status) terms.push(rql.in(config.status, status));
	const type = filters.type as string[] | undefined;
	if (type?.length && config.type) terms.push(rql.in(config.type, type));
	// An ID filter given as an empty list (or only commas) filters nothing.
	const idTerm = (path: string, name: string, type: IdType, many: boolean) => {
		if (filters[name] === undefined) return;
		const list = ids(p, name, type, filters[name]);
		if (list.length) terms.push(many ? rql.in(path, list) : rql.eq(path, list[0]));
	};
	if (config.product) idTerm(config.product, 'product', 'product', true);
	if (config.asset) idTerm(config.asset, 'asset', 'asset', false);
	if (config.marketplace) idTerm(config.marketplace, 'marketplace', 'marketplace', false);
	for (const id of config.ids ?? []) idTerm(id.path, id.field, id.idType, false);
	if (config.created) {
		if (filters.createdAfter) terms.push(rql.ge(config.created, filters.createdAfter as string));
		if (filters.createdBefore) terms.push(rql.le(config.created, filters.createdBefore as string));
	}
	if (config.updated) {
		if (filters.updatedAfter) terms.push(rql.ge(config.updated, filters.updatedAfter as string));
		if (filters.updatedBefore) terms.push(rql.le(config.updated, filters.updatedBefore as string));
	}
	const parts: string[] = [];
	const structured = rql.and(...terms);
	if (structured) parts.push(structured);
	if (filters.rql) {
		try {
			const own = checkRql(String(filters.rql));
			// A "#" would end the URL's query there (the rest taken as a fragment, never sent);
			// Connect decodes the query before parsing, so %23 reaches it as the "#" written.
			if (own) parts.push(own.replace(/#/g, '%23'));
		} catch (error) {
			if (error instanceof RqlSyntaxError) p.fail('filters.rql', `is not valid RQL: ${error.message}`);
			throw new NodeOperationError(p.node, error as Error, { itemIndex: p.index });
		}
	}
	if (config.ordering) {
		const sort = p.collection('sort') as { field?: string; direction?: string };
		if (sort.field) parts.push(rql.ordering([`${sort.direction === 'desc' ? '-' : ''}${sort.field}`]));
	}
	return parts.join('&');
}
