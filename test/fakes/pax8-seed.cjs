'use strict';

/**
 * Deterministic seed data for the fake Pax8 API (see pax8.cjs). Objects are stored in their wire
 * shape (including Pax8's wire quirks) so handlers can serialise them without copying.
 */

const { createPrng } = require('./common.cjs');

const DEFAULT_COUNTS = {
	companies: 25,
	products: 30,
	orders: 20,
	subscriptions: 60,
	invoices: 15,
	invoiceItemsPerInvoice: 12,
	draftItems: 20, // per month offset (0 and 1)
	usageSummaries: 12,
	usageLinesPerSummary: 15, // spread over USAGE_DAYS days
	webhooks: 2,
};

/** Seed data is anchored to a fixed date so it is identical on every run. */
const ANCHOR = Date.UTC(2025, 5, 15, 12, 0, 0); // 2025-06-15T12:00:00Z
const DAY = 86400000;
const USAGE_DAYS = 3;

const PARTNER_NAME = 'Northstar IT Partners';

// ---------------------------------------------------------------------------------------------
// Date formats seen on the wire

// Formatting 100k records must stay cheap: day-granular strings are memoised and every result is
// flattened (template literals build rope strings that cost several objects each).
const flat = (text) => Buffer.from(text, 'latin1').toString('latin1');
const memo = new Map();
function memoised(key, build) {
	let text = memo.get(key);
	if (text === undefined) memo.set(key, (text = flat(build())));
	return text;
}
const pad2 = (n) => (n < 10 ? `0${n}` : `${n}`);
function timeOfDay(t, withMillis) {
	const clock = `${pad2(Math.floor(t / 3600000))}:${pad2(Math.floor(t / 60000) % 60)}:${pad2(Math.floor(t / 1000) % 60)}`;
	return withMillis ? `${clock}.${String(t % 1000).padStart(3, '0')}` : clock;
}
/** "2021-01-01" */
function isoDate(ms) {
	const day = Math.floor(ms / DAY);
	return memoised(day, () => new Date(day * DAY).toISOString().slice(0, 10));
}
/** "2021-01-01T08:30:00Z" */
const isoDateTime = (ms) =>
	flat(`${isoDate(ms)}T${timeOfDay(ms - Math.floor(ms / DAY) * DAY, false)}Z`);
/** "2023-08-11T11:33:12.314-0600": offset without colon (Pax8 wire quirk). */
function offsetDateTime(ms, offsetMinutes = -360) {
	const local = ms + offsetMinutes * 60000;
	const abs = Math.abs(offsetMinutes);
	const zone = `${offsetMinutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
	return flat(`${isoDate(local)}T${timeOfDay(local - Math.floor(local / DAY) * DAY, true)}${zone}`);
}
const monthStart = (ms, monthDelta) => {
	const d = new Date(ms);
	return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthDelta, 1);
};
const monthEnd = (ms, monthDelta) => monthStart(ms, monthDelta + 1) - DAY;

const TERM_MONTHS = {
	Monthly: 1,
	Annual: 12,
	'2-Year': 24,
	'3-Year': 36,
	'One-Time': 1,
	Trial: 1,
	Activation: 1,
};
const COMMITMENT_MONTHS = { '1-Year': 12, '3-Year': 36 };
const INVOICE_TERM = {
	Monthly: 'Monthly',
	Annual: 'Annual',
	'2-Year': '2 Year',
	'3-Year': '3 Year',
	'One-Time': 'One-Time',
	Trial: 'Trial',
	Activation: 'Activation',
};

// ---------------------------------------------------------------------------------------------
// Catalogue

const MS_DETAILS = [
	{
		label:
			'Does the customer have an existing Microsoft account and can they log into https://login.microsoftonline.com?',
		key: 'msCustExists',
		valueType: 'Single-Value',
		possibleValues: [
			'No, the customer does not have a Microsoft account',
			'Yes, the customer has and can log into their Microsoft account',
		],
	},
	{
		label: 'Desired .onmicrosoft.com Customer Domain Prefix',
		key: 'msDomain',
		valueType: 'Input',
		description:
			'Do not include the TLD when entering your domain (e.g. mydomain.onmicrosoft.com should be entered as mydomain',
	},
	{ label: 'Microsoft Customer Tenant ID', key: 'msTenantId', valueType: 'Input' },
	{ label: 'First Name', key: 'mca2020FirstName', valueType: 'Input' },
	{ label: 'Last Name', key: 'mca2020LastName', valueType: 'Input' },
	{ label: 'Email Address', key: 'mca2020Email', valueType: 'Input' },
	{
		label: 'Date of Acceptance',
		key: 'mca2020EffectiveDate',
		valueType: 'Input',
		description: '(YYYY-MM-DD)',
	},
];
const GOOGLE_DETAILS = [
	{
		label: 'Primary domain of the Google Workspace customer',
		key: 'googleDomain',
		valueType: 'Input',
	},
	{
		label: 'Email address of the Google Workspace super admin',
		key: 'googleAdminEmail',
		valueType: 'Input',
		description: "Provide the admin user's email address",
	},
];
const ACRONIS_DETAILS = [
	{
		label: 'Data center region',
		key: 'acronisRegion',
		valueType: 'Single-Value',
		possibleValues: ['US', 'EU', 'CA', 'AU'],
	},
	{
		label: 'Enabled services',
		key: 'acronisServices',
		valueType: 'Multi-Value',
		possibleValues: ['Backup', 'Disaster Recovery', 'File Sync & Share', 'Email Security'],
	},
];
/** Provisioning profiles: detail definitions and the keys an order must provide. */
const PROVISIONING = {
	microsoft: { details: MS_DETAILS, required: ['msCustExists', 'msDomain'] },
	google: { details: GOOGLE_DETAILS, required: ['googleDomain', 'googleAdminEmail'] },
	acronis: { details: ACRONIS_DETAILS, required: ['acronisRegion'] },
};

const AZURE_METERS = [
	['Virtual Machines - D2s v3', 'Hour', 0.096],
	['Storage - LRS Data Stored', 'GB/Month', 0.021],
	['Bandwidth - Data Transfer Out', 'GB', 0.087],
	['Azure SQL Database - vCore', 'Hour', 0.505],
];
const ACRONIS_METERS = [
	['Backup storage', 'GB', 0.05],
	['Workstations', 'Device', 1.4],
	['Servers', 'Device', 6.5],
];

// [name, vendor, retail unit price, billing terms, options]
//   options.commit: requiresCommitment; options.prov: provisioning profile; options.meters: usage
//   based; options.requires: index of the base product (add-on); options.type: pricing type
const CATALOGUE = [
	[
		'Microsoft 365 Business Basic',
		'Microsoft',
		6.0,
		['Monthly', 'Annual'],
		{ commit: true, prov: 'microsoft' },
	],
	[
		'Microsoft 365 Business Standard',
		'Microsoft',
		12.5,
		['Monthly', 'Annual'],
		{ commit: true, prov: 'microsoft' },
	],
	[
		'Microsoft 365 Business Premium',
		'Microsoft',
		22.0,
		['Monthly', 'Annual', '3-Year'],
		{ commit: true, prov: 'microsoft' },
	],
	[
		'Microsoft 365 E3',
		'Microsoft',
		36.0,
		['Monthly', 'Annual', '3-Year'],
		{ commit: true, prov: 'microsoft' },
	],
	[
		'Microsoft 365 E5',
		'Microsoft',
		57.0,
		['Monthly', 'Annual', '3-Year'],
		{ commit: true, prov: 'microsoft' },
	],
	['Office 365 E1', 'Microsoft', 10.0, ['Monthly', 'Annual'], { commit: true, prov: 'microsoft' }],
	[
		'Microsoft Office 365 E3',
		'Microsoft',
		23.0,
		['Monthly', 'Annual'],
		{ commit: true, prov: 'microsoft' },
	],
	[
		'Exchange Online (Plan 1)',
		'Microsoft',
		4.0,
		['Monthly', 'Annual'],
		{ commit: true, prov: 'microsoft' },
	],
	[
		'Microsoft Teams Essentials',
		'Microsoft',
		4.0,
		['Monthly', 'Annual'],
		{ commit: true, prov: 'microsoft' },
	],
	[
		'Microsoft Defender for Business',
		'Microsoft',
		3.0,
		['Monthly', 'Annual'],
		{ commit: true, prov: 'microsoft' },
	],
	[
		'Microsoft Azure Plan',
		'Microsoft',
		0,
		['Monthly'],
		{ prov: 'microsoft', meters: AZURE_METERS, type: 'Mark-Up' },
	],
	[
		'Microsoft Teams Phone Standard',
		'Microsoft',
		8.0,
		['Monthly', 'Annual'],
		{ commit: true, prov: 'microsoft', requires: [3, 4] },
	],
	['Google Workspace Business Starter', 'Google', 7.2, ['Monthly', 'Annual'], { prov: 'google' }],
	['Google Workspace Business Standard', 'Google', 14.4, ['Monthly', 'Annual'], { prov: 'google' }],
	['Google Workspace Business Plus', 'Google', 21.6, ['Monthly', 'Annual'], { prov: 'google' }],
	[
		'Acronis Cyber Protect Cloud',
		'Acronis',
		0,
		['Monthly'],
		{ prov: 'acronis', meters: ACRONIS_METERS, type: 'Mark-Up' },
	],
	[
		'Acronis Advanced Backup',
		'Acronis',
		1.25,
		['Monthly'],
		{ prov: 'acronis', requires: [15], type: 'Volume' },
	],
	[
		'Proofpoint Essentials - Business',
		'Proofpoint',
		2.5,
		['Monthly', 'Annual'],
		{ type: 'Volume' },
	],
	[
		'Proofpoint Essentials - Professional',
		'Proofpoint',
		3.75,
		['Monthly', 'Annual'],
		{ type: 'Volume' },
	],
	[
		'Webroot SecureAnywhere Business Endpoint Protection',
		'Webroot',
		2.5,
		['Monthly', 'Annual'],
		{},
	],
	['Dropbox Business Standard', 'Dropbox', 15.0, ['Monthly', 'Annual'], {}],
	['Adobe Creative Cloud All Apps', 'Adobe', 84.99, ['Annual'], { commit: true }],
	[
		'Bitdefender GravityZone Business Security',
		'Bitdefender',
		2.9,
		['Monthly', 'Annual'],
		{ type: 'Tiered' },
	],
	['Keeper Business', 'Keeper Security', 3.75, ['Annual'], {}],
	['SentinelOne Singularity Core', 'SentinelOne', 4.0, ['Monthly', 'Annual'], {}],
	['Datto SaaS Protection for Microsoft 365', 'Datto', 3.0, ['Monthly', 'Annual'], {}],
	['Sophos Central Intercept X Advanced', 'Sophos', 3.5, ['Monthly', 'Annual', '2-Year'], {}],
	['Veeam Backup for Microsoft 365', 'Veeam', 2.0, ['Monthly', 'Annual'], {}],
	['Cisco Duo Advantage', 'Cisco', 6.0, ['Monthly', 'Annual'], {}],
	['Pax8 Onboarding Services', 'Pax8', 250.0, ['One-Time'], {}],
	[
		'Trend Micro Worry-Free Services Advanced',
		'Trend Micro',
		3.25,
		['Monthly', 'Annual', 'Trial'],
		{},
	],
	['Keepit Backup for Microsoft 365', 'Keepit', 2.75, ['Monthly', 'Annual'], {}],
];

// ---------------------------------------------------------------------------------------------
// Names and places

const NAME_PREFIXES = [
	'Summit',
	'Blue Harbor',
	'Ironwood',
	'Red Rock',
	'Cedar Creek',
	'Northwind',
	'Silver Lake',
	'Granite Peak',
	'Evergreen',
	'Lakeside',
	'Pioneer',
	'Harborview',
	'Sunrise',
	'Copperline',
	'Meadowbrook',
	'Brightpath',
	'Keystone',
	'Riverbend',
	'Stonegate',
	'Oak Valley',
	'Clearwater',
	'Highland',
	'Maple Leaf',
	'Westfield',
	'Frontier',
];
const NAME_KINDS = [
	'Dental Group',
	'Logistics',
	'Family Medicine',
	'Law Partners',
	'Accounting',
	'Construction',
	'Veterinary Clinic',
	'Realty',
	'Engineering',
	'Manufacturing',
	'Credit Union',
	'Architects',
	'Insurance Agency',
	'Marketing',
	'Charter School',
	'Auto Group',
];
const NAME_SUFFIXES = ['', ', Inc', ' LLC', ', Inc.', ' Co.', ' Ltd'];
const STREETS = [
	'Liberty Lane',
	'S Quebec St',
	'Pine Ridge Rd',
	'Commerce Ave',
	'Main St',
	'Lakeview Dr',
	'Market St',
	'Harbor Blvd',
	'Canyon Way',
	'Elm St',
];
const FIRST_NAMES = [
	'Olivia',
	'Liam',
	'Emma',
	'Noah',
	'Ava',
	'Mateo',
	'Sophia',
	'Lucas',
	'Mia',
	'Ethan',
	'Amelia',
	'James',
	'Priya',
	'Wei',
	'Fatima',
	'Diego',
	'Hannah',
	'Kenji',
	'Chloe',
	'Samuel',
];
const LAST_NAMES = [
	'Harrison',
	'Nguyen',
	'Garcia',
	'Okafor',
	'Schmidt',
	'Patel',
	'Kowalski',
	'Murphy',
	'Silva',
	'Johnson',
	'Andersen',
	'Rossi',
	'Tanaka',
	'Dubois',
	'Williams',
	'Chen',
	"O'Brien",
	'Larsen',
];
// [city, stateOrProvince, postalCode, country, area code]
const PLACES = [
	['Denver', 'Colorado', '80202', 'US', '303'],
	['Greenwood Village', 'Colorado', '80111', 'US', '720'],
	['Austin', 'Texas', '78701', 'US', '512'],
	['Seattle', 'Washington', '98101', 'US', '206'],
	['Chicago', 'Illinois', '60601', 'US', '312'],
	['Phoenix', 'Arizona', '85004', 'US', '602'],
	['Boston', 'Massachusetts', '02108', 'US', '617'],
	['Atlanta', 'Georgia', '30303', 'US', '404'],
	['Raleigh', 'North Carolina', '27601', 'US', '919'],
	['Salt Lake City', 'Utah', '84101', 'US', '801'],
	['Tampa', 'Florida', '33602', 'US', '813'],
	['Toronto', 'Ontario', 'M5H 2N2', 'CA', '416'],
	['Vancouver', 'British Columbia', 'V6B 1A1', 'CA', '604'],
	['London', 'England', 'EC1A 1BB', 'GB', '20'],
	['Manchester', 'England', 'M1 1AE', 'GB', '161'],
	['Sydney', 'New South Wales', '2000', 'AU', '2'],
	['Dublin', 'Dublin', 'D02 X285', 'IE', '1'],
	['Auckland', 'Auckland', '1010', 'NZ', '9'],
];
const CALLING_CODES = { US: '1', CA: '1', GB: '44', AU: '61', IE: '353', NZ: '64' };
const RESOURCE_GROUPS = ['rg-production', 'rg-staging', 'rg-backup', 'rg-analytics', 'rg-web'];

const slug = (text) =>
	text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

function phoneFor(prng, country, area) {
	const local = `${prng.int(200, 999)}-${String(prng.int(0, 9999)).padStart(4, '0')}`;
	return CALLING_CODES[country] === '1'
		? `${area}-${local}`
		: `+${CALLING_CODES[country]} ${area} ${local}`;
}

/** Contact in wire shape (with the phone fields the live API adds). */
function makeContact({ id, firstName, lastName, email, phone, types, createdDate, country }) {
	return {
		id,
		firstName,
		lastName,
		email,
		phone,
		phoneNumber: String(phone)
			.replace(/^\+\d+\s/, '')
			.replace(/\D/g, ''),
		phoneCountryCode: country || 'US',
		phoneCountryCallingCode: CALLING_CODES[country] || '1',
		createdDate,
		types: (types || []).map((t) => ({ type: t.type, primary: Boolean(t.primary) })),
	};
}

// ---------------------------------------------------------------------------------------------
// Generators

function generateProducts(prng, count) {
	const products = new Map();
	const productMeta = new Map();
	const ids = [];
	for (let i = 0; i < count; i++) ids.push(prng.uuid());
	for (let i = 0; i < count; i++) {
		const [baseName, vendorName, unitPrice, billingTerms, opt] = CATALOGUE[i % CATALOGUE.length];
		const round = Math.floor(i / CATALOGUE.length);
		const name = round ? `${baseName} (Bundle ${round + 1})` : baseName;
		const isMicrosoft = vendorName === 'Microsoft';
		const sku = `${vendorName.slice(0, 3).toUpperCase()}-${prng.hex(3).toUpperCase()}-${prng.hex(3).toUpperCase()}-${prng.hex(4).toUpperCase()}`;
		const product = {
			id: ids[i],
			name,
			vendorName,
			shortDescription: `${name} from ${vendorName}.`,
			sku,
			vendorSku: isMicrosoft
				? `CFQ7TTC0${prng.hex(4).toUpperCase()}:0001`
				: `${slug(vendorName).toUpperCase()}-${prng.int(1000, 9999)}`,
			altVendorSku: isMicrosoft && prng.chance(0.5) ? prng.uuid() : null,
			requiresCommitment: Boolean(opt.commit),
		};
		products.set(product.id, product);

		const commitments = opt.commit
			? ['1-Year', '3-Year'].map((term) => ({
					id: prng.uuid(),
					term,
					autoRenew: true,
					renewalWindowDaysBeforeTermEnd: 7,
					renewalWindowDaysAfterTermEnd: 7,
					allowForQuantityIncrease: true,
					allowForQuantityDecrease: false,
					allowForEarlyCancellation: false,
					cancellationFeeApplied: true,
					isTransferable: false,
				}))
			: [];
		const profile = PROVISIONING[opt.prov];
		const meters = opt.meters
			? opt.meters.map(([meterName, unit, price]) => ({
					name: meterName,
					productId: prng.uuid(),
					unit,
					price,
				}))
			: null;
		productMeta.set(product.id, {
			description: `${name} by ${vendorName}. ${product.shortDescription} Includes ${vendorName} support through Pax8.`,
			billingTerms,
			unitPrice,
			pricingType: opt.type || 'Flat',
			unitOfMeasurement: meters ? 'Usage' : opt.prov === 'acronis' ? 'Workload' : 'User',
			commitments,
			provisionDetails: profile ? profile.details : [],
			requiredDetails: profile ? profile.required : [],
			// add-ons: ids of products one of which must be the parent
			requires: (opt.requires || []).map((index) => ids[index]).filter(Boolean),
			meters,
		});
	}
	return { products, productMeta };
}

/** Rates for one billing term. */
function ratesFor(meta, billingTerm, discount = 1) {
	const months = TERM_MONTHS[billingTerm];
	const retail =
		billingTerm === 'Trial' ? 0 : meta.unitPrice * (billingTerm === 'One-Time' ? 1 : months);
	const rate = (factor, start, end) => ({
		partnerBuyRate: Math.round(retail * 0.85 * factor * discount * 100) / 100,
		suggestedRetailPrice: Math.round(retail * factor * 100) / 100,
		startQuantityRange: start,
		endQuantityRange: end,
		chargeType: 'Per Unit',
	});
	if (meta.pricingType === 'Volume' || meta.pricingType === 'Tiered') {
		return [rate(1, 1, 50), rate(0.9, 51, 250), rate(0.8, 251, null)];
	}
	return [rate(1, 1, null)];
}

/** Pricing entries for a product (company-specific pricing applies a partner discount). */
function pricingFor(product, meta, discount = 1) {
	return meta.billingTerms.map((billingTerm) => {
		const commitment = product.requiresCommitment
			? billingTerm === '3-Year'
				? '3-Year'
				: '1-Year'
			: undefined;
		return {
			productId: product.id,
			productName: product.name,
			billingTerm,
			...(commitment && {
				commitmentTerm: commitment,
				commitmentTermInMonths: COMMITMENT_MONTHS[commitment],
			}),
			type: meta.pricingType,
			unitOfMeasurement: meta.unitOfMeasurement,
			rates: ratesFor(meta, billingTerm, discount),
		};
	});
}

function generateCompanies(prng, count) {
	const companies = new Map();
	const contacts = new Map();
	const combos = prng.shuffle(NAME_PREFIXES.flatMap((p) => NAME_KINDS.map((k) => `${p} ${k}`)));
	for (let i = 0; i < count; i++) {
		const base = combos[i % combos.length];
		const name = `${base}${prng.pick(NAME_SUFFIXES)}${i >= combos.length ? ` ${Math.floor(i / combos.length) + 1}` : ''}`;
		const [city, stateOrProvince, postalCode, country, area] = prng.pick(PLACES);
		const status = prng.weighted([
			['Active', 80],
			['Inactive', 12],
			['Deleted', 8],
		]);
		const domain = `${slug(base)}.com`;
		const company = {
			id: prng.uuid(),
			name,
			address: {
				street: `${prng.int(100, 49999)} ${prng.pick(STREETS)}`,
				city,
				postalCode,
				country,
				stateOrProvince,
			},
			phone: phoneFor(prng, country, area),
			website: domain,
			status,
			...(prng.chance(0.6) && { externalId: `C${String(1000 + i)}` }),
			selfServiceAllowed: prng.chance(0.3),
			billOnBehalfOfEnabled: prng.chance(0.25),
			orderApprovalRequired: prng.chance(0.2),
			updatedDate: offsetDateTime(ANCHOR - prng.int(0, 700) * DAY - prng.int(0, DAY)),
		};
		companies.set(company.id, company);

		const list = [];
		if (status !== 'Inactive') {
			const n = prng.int(1, 3);
			// one contact: primary for everything; more: primaries split over the first two
			const typesFor = (k) =>
				n === 1
					? [
							{ type: 'Admin', primary: true },
							{ type: 'Billing', primary: true },
							{ type: 'Technical', primary: true },
						]
					: k === 0
						? [
								{ type: 'Admin', primary: true },
								{ type: 'Billing', primary: true },
							]
						: k === 1
							? [
									{ type: 'Technical', primary: true },
									{ type: 'Admin', primary: false },
								]
							: [{ type: 'Billing', primary: false }];
			for (let k = 0; k < n; k++) {
				const firstName = prng.pick(FIRST_NAMES);
				const lastName = prng.pick(LAST_NAMES);
				list.push(
					makeContact({
						id: prng.uuid(),
						firstName,
						lastName,
						email: `${slug(firstName)}.${slug(lastName)}@${domain}`,
						phone: phoneFor(prng, country, area),
						types: typesFor(k),
						createdDate: isoDate(ANCHOR - prng.int(30, 900) * DAY),
						country,
					}),
				);
			}
		}
		contacts.set(company.id, list);
	}
	return { companies, contacts };
}

const USAGE_STATUS_WEIGHTS = [
	['Active', 90],
	['Cancelled', 10],
];
const STATUS_WEIGHTS = [
	['Active', 60],
	['Cancelled', 10],
	['PendingCancel', 5],
	['PendingManual', 4],
	['PendingAutomated', 4],
	['WaitingForDetails', 3],
	['Trial', 5],
	['Converted', 3],
	['PendingActivation', 3],
	['Activated', 3],
];

function generateSubscriptions(prng, count, { companies, products, productMeta }) {
	const subscriptions = new Map();
	const byCompany = new Map();
	const owners = [...companies.values()].filter((c) => c.status !== 'Inactive');
	const candidates = owners.length ? owners : [...companies.values()];
	const productList = [...products.values()];
	const usageProducts = productList.filter((p) => productMeta.get(p.id).meters);
	if (!candidates.length || !productList.length) return { subscriptions, byCompany };

	// price and commitment per product and billing term, computed once
	const terms = new Map();
	const termInfo = (product, meta, billingTerm) => {
		const key = `${product.id}|${billingTerm}`;
		let info = terms.get(key);
		if (!info) {
			const commitmentTerm = billingTerm === '3-Year' ? '3-Year' : '1-Year';
			info = {
				rate: ratesFor(meta, billingTerm)[0],
				commitment: product.requiresCommitment
					? meta.commitments.find((c) => c.term === commitmentTerm)
					: null,
			};
			terms.set(key, info);
		}
		return info;
	};

	for (let i = 0; i < count; i++) {
		const company = candidates[prng.int(0, candidates.length - 1)];
		// the first few subscriptions are usage based so usage summaries always exist
		const product =
			i < 3 && usageProducts.length
				? usageProducts[i % usageProducts.length]
				: productList[prng.int(0, productList.length - 1)];
		const meta = productMeta.get(product.id);
		const status = prng.weighted(meta.meters ? USAGE_STATUS_WEIGHTS : STATUS_WEIGHTS);
		const billingTerm =
			status === 'Trial' ? 'Trial' : meta.billingTerms[prng.int(0, meta.billingTerms.length - 1)];
		const { rate, commitment } = termInfo(product, meta, billingTerm);
		const created = ANCHOR - prng.int(1, 900) * DAY - prng.int(0, DAY);
		const start = Math.floor(created / DAY) * DAY + DAY + 8.5 * 3600000; // next day, 08:30Z
		const subscription = {
			id: prng.uuid(),
			companyId: company.id,
			productId: product.id,
			quantity: meta.meters ? 1 : prng.int(1, 50),
			startDate: isoDateTime(start),
			endDate: null,
			// createdDate mixes date-only and offset-without-colon date-times (wire quirk)
			createdDate: i % 3 === 0 ? isoDate(created) : offsetDateTime(created),
			updatedDate: offsetDateTime(created + prng.int(0, 30) * DAY),
			billingStart: isoDate(start),
			status,
			price: rate.suggestedRetailPrice,
			partnerCost: rate.partnerBuyRate,
			currencyCode: 'USD',
			productName: product.name,
			billingTerm,
		};
		if (status === 'Cancelled')
			subscription.endDate = isoDateTime(Math.min(start + prng.int(30, 400) * DAY, ANCHOR));
		else if (status === 'PendingCancel')
			subscription.endDate = isoDateTime(ANCHOR + prng.int(1, 30) * DAY);
		if (product.vendorName === 'Microsoft') {
			subscription.vendorSubscriptionId = prng.uuid();
			subscription.vendorSkuId = product.vendorSku;
		}
		if (commitment) {
			// the wire calls it "commitment"; the spec calls it "commitmentTerm"
			subscription.commitment = {
				id: commitment.id,
				term: commitment.term,
				endDate: isoDateTime(
					start + Math.round(COMMITMENT_MONTHS[commitment.term] * 30.4375) * DAY,
				),
			};
		}
		subscriptions.set(subscription.id, subscription);
		let list = byCompany.get(company.id);
		if (!list) byCompany.set(company.id, (list = []));
		list.push(subscription);
	}
	return { subscriptions, byCompany };
}

function generateOrders(prng, count, { byCompany, partnerUserId }) {
	const drafts = [];
	// each order takes the next 1-3 subscriptions of a company that still has some
	const next = new Map([...byCompany.keys()].map((id) => [id, 0]));
	while (drafts.length < count && next.size) {
		const companyIds = [...next.keys()];
		const companyId = companyIds[prng.int(0, companyIds.length - 1)];
		const start = next.get(companyId);
		const items = byCompany.get(companyId).slice(start, start + prng.int(1, 3));
		if (start + items.length >= byCompany.get(companyId).length) next.delete(companyId);
		else next.set(companyId, start + items.length);
		const created = Math.min(...items.map((s) => Date.parse(s.startDate) - DAY));
		const orderedBy = prng.weighted([
			['Pax8Partner', 70],
			['Customer', 20],
			['Pax8', 10],
		]);
		drafts.push({
			created,
			order: {
				id: prng.uuid(),
				companyId,
				createdDate: isoDate(created),
				orderedBy, // GET returns "Pax8Partner" where create expects "Pax8 Partner" (wire quirk)
				orderedByUserId: partnerUserId,
				...(orderedBy === 'Pax8Partner' && { orderedByUserEmail: 'orders@northstar-it.example' }),
				isScheduled: false,
				lineItems: items.map((s) => ({
					id: prng.uuid(),
					productId: s.productId,
					subscriptionId: s.id,
					...(s.commitment && { commitmentTermId: s.commitment.id }),
					provisionStartDate: s.startDate,
					billingTerm: s.billingTerm,
					quantity: s.quantity,
				})),
			},
		});
	}
	// orders list oldest first
	drafts.sort((a, b) => a.created - b.created);
	return new Map(drafts.map(({ order }) => [order.id, order]));
}

function invoiceItemFrom(
	prng,
	subscription,
	{ company, product, startPeriod, endPeriod, billedByPax8 },
) {
	const type = prng.weighted([
		['subscription', 80],
		['prorate', 8],
		['one-time', 4],
		['rebate', 3],
		['service-charge', 5],
	]);
	const quantity = subscription.quantity;
	const price = subscription.price;
	const cost = subscription.partnerCost;
	const subTotal = Math.round(price * quantity * 100) / 100;
	const costTotal = Math.round(cost * quantity * 100) / 100;
	const billingFeeRate = billedByPax8 ? 0.03 : 0;
	const billingFee = Math.round(subTotal * billingFeeRate * 100) / 100;
	const salesTax = Math.round(subTotal * 0.07 * 100) / 100;
	return {
		id: prng.uuid(),
		purchaseOrderNumber: prng.chance(0.3) ? `PO-${prng.int(10000, 99999)}` : 'N/A',
		type,
		companyId: company.id,
		...(company.externalId && { externalId: company.externalId }),
		companyName: company.name,
		startPeriod,
		endPeriod,
		quantity,
		unitOfMeasure: 'User',
		term: INVOICE_TERM[subscription.billingTerm],
		sku: product.sku,
		description: product.name,
		details: `${product.name} x ${quantity}`,
		rateType: prng.pick(['Flat', 'Volume', 'Tiered']), // capitalised on the wire (spec enum differs)
		chargeType: prng.chance(0.85) ? 'per' : 'flat',
		price,
		subTotal,
		cost,
		costTotal,
		offeredBy: 'Pax8',
		billedByPax8,
		total: Math.round((subTotal + billingFee + salesTax) * 100) / 100,
		productId: product.id,
		productName: product.name,
		billingFee,
		billingFeeRate,
		amountDue: Math.round((subTotal + billingFee + salesTax) * 100) / 100,
		currencyCode: 'USD',
		salesTax,
		subscriptionId: subscription.id,
		vendorName: product.vendorName,
	};
}

function generateInvoices(
	prng,
	count,
	perInvoice,
	{ companies, products, subscriptions, byCompany },
) {
	const invoices = new Map();
	const invoiceItems = new Map();
	const allSubs = [...subscriptions.values()];
	const scopedCompanies = [...byCompany.keys()];
	const drafts = [];
	for (let k = 0; k < count; k++) {
		const monthsBack = Math.floor(k / 2);
		const start = monthStart(ANCHOR, -monthsBack);
		// even: partner-level invoice; odd: invoice for one company
		const companyId =
			k % 2 === 1 && scopedCompanies.length
				? scopedCompanies[prng.int(0, scopedCompanies.length - 1)]
				: null;
		const pool = companyId ? byCompany.get(companyId) : allSubs;
		const items = [];
		for (let j = 0; j < perInvoice && pool.length; j++) {
			const s = pool[prng.int(0, pool.length - 1)];
			const company = companies.get(s.companyId);
			items.push(
				invoiceItemFrom(prng, s, {
					company,
					product: products.get(s.productId),
					startPeriod: isoDate(monthStart(start, -1)),
					endPeriod: isoDate(monthEnd(start, -1)),
					billedByPax8: company.billOnBehalfOfEnabled,
				}),
			);
		}
		const total = Math.round(items.reduce((sum, item) => sum + item.total, 0) * 100) / 100;
		const status =
			monthsBack === 0
				? 'Unpaid'
				: total === 0
					? 'Nothing Due'
					: prng.weighted([
							['Paid', 70],
							['Carried', 12],
							['Void', 6],
							['Credited', 6],
							['Unpaid', 6],
						]);
		const open = status === 'Unpaid' || status === 'Carried';
		const company = companyId ? companies.get(companyId) : null;
		drafts.push({
			invoice: {
				id: prng.uuid(),
				invoiceDate: isoDate(start),
				dueDate: isoDate(start + 14 * DAY),
				status, // not in the spec's Invoice schema, present on the wire
				total,
				balance: open ? total : 0,
				carriedBalance: 0, // filled below, from the oldest invoice on
				currencyCode: 'USD',
				partnerName: PARTNER_NAME,
				companyId: company ? company.id : null,
				externalId: company && company.externalId ? company.externalId : null,
			},
			items,
		});
	}
	let carried = 0;
	for (const { invoice } of drafts.slice().reverse()) {
		invoice.carriedBalance = Math.round(carried * 100) / 100;
		if (invoice.balance > 0) carried += invoice.balance;
	}
	for (const { invoice, items } of drafts) {
		invoices.set(invoice.id, invoice);
		invoiceItems.set(invoice.id, items);
	}
	return { invoices, invoiceItems };
}

function generateDraftItems(prng, count, { companies, products, subscriptions }) {
	const active = [...subscriptions.values()].filter((s) => s.status === 'Active');
	const draftItems = { 0: [], 1: [] };
	for (const offset of [0, 1]) {
		for (let i = 0; i < count && active.length; i++) {
			const s = active[prng.int(0, active.length - 1)];
			const company = companies.get(s.companyId);
			draftItems[offset].push(
				invoiceItemFrom(prng, s, {
					company,
					product: products.get(s.productId),
					startPeriod: isoDate(monthStart(ANCHOR, offset)),
					endPeriod: isoDate(monthEnd(ANCHOR, offset)),
					billedByPax8: company.billOnBehalfOfEnabled,
				}),
			);
		}
	}
	return draftItems;
}

function generateUsage(
	prng,
	count,
	linesPerSummary,
	{ companies, products, productMeta, subscriptions },
) {
	const usageSummaries = new Map();
	const usageLines = new Map();
	const usageSubs = [...subscriptions.values()].filter((s) => productMeta.get(s.productId).meters);
	const days = Array.from({ length: USAGE_DAYS }, (_, d) =>
		isoDate(monthStart(ANCHOR, 0) + d * DAY),
	);
	for (let i = 0; i < count && usageSubs.length; i++) {
		const s = usageSubs[i % usageSubs.length];
		const product = products.get(s.productId);
		const meters = productMeta.get(s.productId).meters;
		const isTrial = prng.chance(0.1);
		const summaryId = prng.uuid();
		const lines = [];
		for (let j = 0; j < linesPerSummary; j++) {
			const meter = meters[Math.floor(j / USAGE_DAYS) % meters.length];
			const quantity = prng.int(1, 400);
			const currentCharges = Math.round(quantity * meter.price * 100) / 100;
			const partnerTotal = Math.round(currentCharges * 0.8 * 100) / 100;
			lines.push({
				usageSummaryId: summaryId,
				usageDate: days[j % USAGE_DAYS],
				productName: `${product.name} - ${meter.name}`,
				productId: meter.productId,
				unitOfMeasure: meter.unit,
				quantity,
				currentCharges,
				currentProfit: Math.round((currentCharges - partnerTotal) * 100) / 100,
				partnerTotal,
				unitPrice: meter.price,
				currencyCode: 'USD',
				isTrial,
			});
		}
		const sum = (field) =>
			Math.round(lines.reduce((acc, line) => acc + line[field], 0) * 100) / 100;
		usageSummaries.set(summaryId, {
			id: summaryId,
			companyId: s.companyId,
			subscriptionId: s.id, // in the spec's example, not in its schema
			productId: s.productId,
			resourceGroup:
				i < usageSubs.length ? companies.get(s.companyId).name : prng.pick(RESOURCE_GROUPS),
			vendorName: product.vendorName,
			currentCharges: sum('currentCharges'),
			currencyCode: 'USD',
			partnerTotal: sum('partnerTotal'),
			isTrial,
		});
		usageLines.set(summaryId, lines);
	}
	return { usageSummaries, usageLines };
}

/**
 * Build the complete seed state.
 * @param {{seed:number, counts?:object}} opts
 */
function createPax8State({ seed, counts = {} }) {
	const c = { ...DEFAULT_COUNTS, ...counts };
	const prng = createPrng(seed);
	const accountId = prng.uuid();
	const partnerUserId = prng.uuid();
	const { products, productMeta } = generateProducts(prng, c.products);
	const { companies, contacts } = generateCompanies(prng, c.companies);
	const { subscriptions, byCompany } = generateSubscriptions(prng, c.subscriptions, {
		companies,
		products,
		productMeta,
	});
	const orders = generateOrders(prng, c.orders, { byCompany, partnerUserId });
	const { invoices, invoiceItems } = generateInvoices(prng, c.invoices, c.invoiceItemsPerInvoice, {
		companies,
		products,
		subscriptions,
		byCompany,
	});
	const draftItems = generateDraftItems(prng, c.draftItems, { companies, products, subscriptions });
	const { usageSummaries, usageLines } = generateUsage(
		prng,
		c.usageSummaries,
		c.usageLinesPerSummary,
		{
			companies,
			products,
			productMeta,
			subscriptions,
		},
	);
	return {
		state: {
			accountId,
			partnerUserId,
			partnerName: PARTNER_NAME,
			companies,
			contacts, // Map companyId -> contact[] (newest first)
			products,
			productMeta, // Map productId -> { commitments, provisionDetails, requiredDetails, requires, meters, ... }
			orders,
			subscriptions,
			subscriptionHistory: new Map(), // Map subscriptionId -> snapshots (oldest first), filled on change
			invoices,
			invoiceItems, // Map invoiceId -> item[]
			draftItems, // { 0: item[], 1: item[] } by monthOffset
			usageSummaries,
			usageLines, // Map usageSummaryId -> line[]
			webhooks: new Map(),
			webhookLogs: new Map(),
			topicDefinitions: [],
		},
		prng,
		webhookCount: c.webhooks,
	};
}

module.exports = {
	ANCHOR,
	COMMITMENT_MONTHS,
	DAY,
	TERM_MONTHS,
	createPax8State,
	isoDate,
	isoDateTime,
	makeContact,
	offsetDateTime,
	pricingFor,
	ratesFor,
};
