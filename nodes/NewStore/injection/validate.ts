import { COUNTRIES } from './countries';
import { CURRENCIES } from './currencies';

/**
 * Client-side checks of a NewStore order injection payload (`POST /v0/d/fulfill_order`,
 * `InjectedOrderRequest`): a port of the connector's RuleSet with the limits it forgot.
 *
 * Semantics kept from the connector: "required" means the key is present (an `undefined` value
 * counts as absent, as it is dropped from JSON); every other rule of a key is skipped when its
 * value is falsy (0, "", [], null, false), so `price: 0` passes. Unknown keys are not reported.
 * Each key reports at most one problem (its first broken rule); nested objects and lists report
 * per key and index, e.g. `shipments[0].items[2].price.item_tax_lines[0].rate`.
 */
export interface InjectionProblem {
	path: string;
	message: string;
}

type Obj = Record<string, unknown>;

interface Ctx {
	problems: InjectionProblem[];
	/** The order's currency when it is a known code (for the decimal-places check). */
	currency?: string;
}

/** A message when the value breaks the rule; nested rules report into `ctx` themselves. */
type Rule = (value: unknown, path: string, ctx: Ctx, parent: Obj) => string | undefined;

interface Field {
	required?: boolean;
	/** Check even a falsy value (only `shipments`, whose 1–10 limit would be dead otherwise). */
	always?: boolean;
	rules: Rule[];
}

/** Fields as [key, field] pairs, plus checks across the object's keys. */
interface Schema {
	fields: Array<[string, Field]>;
	check?: (value: Obj, path: string, ctx: Ctx) => void;
}

const CURRENCY_SET = new Set(CURRENCIES);
const COUNTRY_SET = new Set(COUNTRIES);

/** ISO 4217 minor units where they are not 2; `null` = none defined (precious metals, funds, test codes). */
// prettier-ignore
const MINOR_UNITS: Record<string, number | null> = {
	BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0,
	XPF: 0,
	BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
	CLF: 4, UYW: 4,
	XAG: null, XAU: null, XBA: null, XBB: null, XBC: null, XBD: null, XDR: null, XPD: null, XPT: null, XSU: null, XTS: null,
	XUA: null, XXX: null,
};

/** Decimal places allowed for amounts in a currency, or undefined when not checked. */
export function minorUnits(currency: string): number | undefined {
	const units = MINOR_UNITS[currency];
	if (units === null) return undefined;
	return units ?? 2;
}

/** RFC 3339 date-time as Go's time.RFC3339 parses it: upper-case T and Z, optional fraction. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** RFC 5646 language tag (language[-extlang][-script][-region][-variant…][-extension…][-x-private]). */
const LANGUAGE_TAG = new RegExp(
	'^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})' +
		'(?:-[A-Za-z]{4})?' +
		'(?:-(?:[A-Za-z]{2}|\\d{3}))?' +
		'(?:-(?:[A-Za-z\\d]{5,8}|\\d[A-Za-z\\d]{3}))*' +
		'(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z\\d]{2,8})+)*' +
		'(?:-[Xx](?:-[A-Za-z\\d]{1,8})+)?' +
		'|[Xx](?:-[A-Za-z\\d]{1,8})+)$',
);

const ISO_639_1 = /^[A-Za-z]{2}$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

function isObject(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFalsy(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		value === false ||
		value === 0 ||
		value === '' ||
		(Array.isArray(value) && value.length === 0)
	);
}

function has(value: Obj, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(value, key) && value[key] !== undefined;
}

function join(path: string, key: string): string {
	return path ? `${path}.${key}` : key;
}

/** Digits after the decimal point in the shortest representation of a number. */
function decimalPlaces(value: number): number {
	const [mantissa, exponent] = String(Math.abs(value)).split('e');
	const fraction = mantissa.split('.')[1] ?? '';
	return Math.max(0, fraction.length - Number(exponent ?? 0));
}

function plural(count: number, one: string, many = `${one}s`): string {
	return `${count} ${count === 1 ? one : many}`;
}

// ---- rules ----

function text(max?: number, min = 0): Rule {
	return (value) => {
		if (typeof value !== 'string') return 'must be a string';
		const length = [...value].length;
		if (max !== undefined && length > max) return `must be at most ${plural(max, 'character')}`;
		if (length < min) return `must be at least ${plural(min, 'character')}`;
		return undefined;
	};
}

interface NumberLimits {
	min?: number;
	/** Strictly greater than `min`. */
	exclusiveMin?: boolean;
	max?: number;
	/** A monetary amount: at most the order currency's decimal places (a function decides per parent object). */
	money?: boolean | ((parent: Obj) => boolean);
}

function numberType(value: unknown): string | undefined {
	if (typeof value === 'string') return 'must be a number (not a string)';
	if (typeof value === 'boolean') return 'must be a number (not true or false)';
	if (typeof value !== 'number') return 'must be a number';
	if (!Number.isFinite(value)) return 'must be a finite number';
	return undefined;
}

function num(limits: NumberLimits = {}): Rule {
	return (value, _path, ctx, parent) => {
		const problem = numberType(value);
		if (problem) return problem;
		const n = value as number;
		const { min, max, exclusiveMin } = limits;
		if (min !== undefined && max !== undefined && (n < min || n > max)) return `must be between ${min} and ${max}`;
		if (min !== undefined && exclusiveMin && n <= min) return `must be greater than ${min}`;
		if (min !== undefined && n < min) return `must be at least ${min}`;
		if (max !== undefined && n > max) return `must be at most ${max}`;
		const money = typeof limits.money === 'function' ? limits.money(parent) : limits.money;
		if (money && ctx.currency) {
			const places = minorUnits(ctx.currency);
			if (places !== undefined && decimalPlaces(n) > places) {
				return places === 0
					? `must be a whole number for ${ctx.currency}`
					: `must have at most ${places} decimal places for ${ctx.currency}`;
			}
		}
		return undefined;
	};
}

const bool: Rule = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');

function oneOf(...allowed: string[]): Rule {
	return (value) => (typeof value === 'string' && allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`);
}

function matches(test: (value: string) => boolean, message: string): Rule {
	return (value) => (typeof value === 'string' && test(value) ? undefined : message);
}

function validDateTime(value: string): boolean {
	const m = DATE_TIME.exec(value);
	if (!m) return false;
	const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
	const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
	const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
	if (days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return false;
	return m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59);
}

const currencyCode = matches((v) => CURRENCY_SET.has(v), 'must be an ISO 4217 currency code such as USD');
const countryCode = matches((v) => COUNTRY_SET.has(v), 'must be an ISO 3166-1 alpha-2 country code such as US');
const dateTime = matches(validDateTime, 'must be an RFC 3339 date-time such as 2024-05-01T10:00:00Z');
const languageTag = matches((v) => LANGUAGE_TAG.test(v), 'must be an RFC 5646 language tag such as en-US');
const languageCode = matches((v) => ISO_639_1.test(v), 'must be an ISO 639-1 two-letter language code such as en');
const email = matches((v) => EMAIL.test(v), 'must be an email address such as name@example.com');

function validateObject(value: Obj, schema: Schema, path: string, ctx: Ctx): void {
	for (const [key, field] of schema.fields) {
		const at = join(path, key);
		if (!has(value, key)) {
			if (field.required) ctx.problems.push({ path: at, message: 'is required' });
			continue;
		}
		const inner = value[key];
		if (isFalsy(inner) && !field.always) continue;
		for (const rule of field.rules) {
			const message = rule(inner, at, ctx, value);
			if (message) {
				ctx.problems.push({ path: at, message });
				break;
			}
		}
	}
	schema.check?.(value, path, ctx);
}

function obj(schema: Schema): Rule {
	return (value, path, ctx) => {
		if (!isObject(value)) return 'must be an object';
		validateObject(value, schema, path, ctx);
		return undefined;
	};
}

/** A list; each entry an object of `each` (a schema) or passing `each` (a rule). */
function list(each: Schema | Rule, limits: { min?: number; max?: number } = {}): Rule {
	return (value, path, ctx, parent) => {
		if (!Array.isArray(value)) return 'must be a list';
		const { min, max } = limits;
		if (max !== undefined && value.length > max) return `must have at most ${plural(max, 'entry', 'entries')}`;
		if (min !== undefined && value.length < min) return `must have at least ${plural(min, 'entry', 'entries')}`;
		value.forEach((entry, index) => {
			const at = `${path}[${index}]`;
			const message = typeof each === 'function' ? each(entry, at, ctx, parent) : obj(each)(entry, at, ctx, parent);
			if (message) ctx.problems.push({ path: at, message });
		});
		return undefined;
	};
}

function keysAtMost(max: number): Rule {
	return (value) => {
		if (!isObject(value)) return 'must be an object';
		return Object.keys(value).length > max ? `must have at most ${plural(max, 'key')}` : undefined;
	};
}

const req = (...rules: Rule[]): Field => ({ required: true, rules });
const opt = (...rules: Rule[]): Field => ({ rules });

// ---- schemas ----

const extendedAttribute: Schema = {
	fields: [
		['name', req(text(100, 1))],
		['value', req(text(8192))],
	],
	// The spec allows no other keys (`maxProperties: 2`): NewStore refuses the order otherwise.
	check: (value, path, ctx) => {
		const extra = Object.keys(value).filter((key) => key !== 'name' && key !== 'value');
		if (extra.length) ctx.problems.push({ path: join(path, extra[0]), message: 'is not allowed (an attribute has only name and value)' });
	},
};

const address: Schema = {
	fields: [
		['address_line_1', req(text(128, 1))],
		['country', req(countryCode)],
		['address_line_2', opt(text(256))],
		['first_name', opt(text(64))],
		['last_name', opt(text(64))],
		['city', opt(text(64))],
		['state', opt(text(32))],
		['zip_code', opt(text(32))],
		['phone', opt(text(128))],
		['title', opt(text(32))],
		['suffix', opt(text(32))],
		['salutation', opt(text(32))],
	],
};

const discount: Schema = {
	fields: [
		['discount_ref', req(text(256))],
		['type', req(oneOf('fixed', 'percentage'))],
		// A fixed discount's original value is money; a percentage's is not.
		['original_value', req(num({ min: 0, money: (d) => d.type === 'fixed' }))],
		['price_adjustment', req(num({ min: 0, money: true }))],
		['coupon_code', opt(text(64))],
		['description', opt(text(1024))],
	],
};

const taxLine: Schema = {
	fields: [
		['amount', req(num({ min: 0, money: true }))],
		['rate', req(num({ min: 0, max: 1 }))],
		['name', req(text())],
		['country_code', opt(text(2))],
	],
};

const price: Schema = {
	fields: [
		['item_price', req(num({ min: 0, money: true }))],
		['item_list_price', req(num({ min: 0, money: true }))],
		['item_tax_lines', req(list(taxLine))],
		['item_discount_info', opt(list(discount))],
		['item_order_discount_info', opt(list(discount))],
		['pricebook', opt(text(64))],
		['group_ref', opt(text(64))],
	],
};

const item: Schema = {
	fields: [
		['external_item_id', req(text(64, 1))],
		['product_id', req(text(64, 1))],
		['price', req(obj(price))],
		['extended_attributes', opt(list(extendedAttribute))],
		['gift_wrapping', opt(bool)],
		['addon_parent_external_item_id', opt(text(64))],
	],
};

const routingStrategy: Schema = {
	fields: [['strategy', req(text())]],
};

const shippingOption: Schema = {
	fields: [
		['service_level_identifier', opt(text(64, 1))],
		['shipping_offer_token', opt(text())],
		['price', req(num({ min: 0, money: true }))],
		['tax', req(num({ min: 0, money: true }))],
		['discount_info', opt(list(discount))],
		['routing_strategy', opt(obj(routingStrategy))],
		['display_name', opt(text())],
		['fulfillment_node_id', opt(text())],
		['shipping_type', opt(text())],
		['carrier', opt(text())],
		['zip_code', opt(text())],
		['country_code', opt(text())],
	],
	check: (value, path, ctx) => {
		if (!has(value, 'service_level_identifier') && !has(value, 'shipping_offer_token')) {
			ctx.problems.push({ path: join(path, 'service_level_identifier'), message: 'is required (or shipping_offer_token)' });
		}
	},
};

const shipment: Schema = {
	fields: [
		['items', req(list(item))],
		['shipping_option', req(obj(shippingOption))],
	],
};

const payment: Schema = {
	fields: [
		['type', req(oneOf('authorized', 'captured'))],
		['amount', req(num({ min: 0, exclusiveMin: true, money: true }))],
		['method', req(text(64, 1))],
		['processor', req(text(32, 1))],
		['processed_at', req(dateTime)],
		['correlation_ref', req(text(128, 1))],
		['wallet', opt(text(64, 1))],
		['metadata', opt(keysAtMost(100))],
	],
};

/** `correlation_ref` unique among the order's payments. */
function checkCorrelationRefs(order: Obj, ctx: Ctx): void {
	if (!Array.isArray(order.payments)) return;
	const seen = new Map<string, number>();
	order.payments.forEach((p, index) => {
		if (!isObject(p) || typeof p.correlation_ref !== 'string' || p.correlation_ref === '') return;
		const first = seen.get(p.correlation_ref);
		if (first === undefined) seen.set(p.correlation_ref, index);
		else {
			ctx.problems.push({
				path: `payments[${index}].correlation_ref`,
				message: `must be unique within the order (payments[${first}] has the same)`,
			});
		}
	});
}

/**
 * Add-on links (documented 400s `addon_invalid_parent_item`, `addon_duplicate_external_item_id`):
 * the parent is a non-add-on item of the same shipment, and the ids in a link occur once in the order.
 */
function checkAddons(order: Obj, ctx: Ctx): void {
	if (!Array.isArray(order.shipments)) return;
	const entries: Array<{ path: string; id?: string; parent?: string; shipment: number }> = [];
	order.shipments.forEach((s, si) => {
		if (!isObject(s) || !Array.isArray(s.items)) return;
		s.items.forEach((it, ii) => {
			if (!isObject(it)) return;
			const id = typeof it.external_item_id === 'string' && it.external_item_id ? it.external_item_id : undefined;
			const parent =
				typeof it.addon_parent_external_item_id === 'string' && it.addon_parent_external_item_id
					? it.addon_parent_external_item_id
					: undefined;
			entries.push({ path: `shipments[${si}].items[${ii}]`, id, parent, shipment: si });
		});
	});
	const linked = new Set<string>();
	for (const entry of entries) {
		if (entry.parent === undefined) continue;
		linked.add(entry.parent);
		if (entry.id) linked.add(entry.id);
		const parents = entries.filter((e) => e.shipment === entry.shipment && e.id === entry.parent);
		if (parents.length === 0) {
			ctx.problems.push({
				path: `${entry.path}.addon_parent_external_item_id`,
				message: 'must be the external_item_id of an item in the same shipment',
			});
		} else if (parents.some((p) => p.parent !== undefined)) {
			ctx.problems.push({
				path: `${entry.path}.addon_parent_external_item_id`,
				message: 'must name an item that is not itself an add-on',
			});
		}
	}
	const seen = new Set<string>();
	for (const entry of entries) {
		if (!entry.id || !linked.has(entry.id)) continue;
		if (seen.has(entry.id)) {
			ctx.problems.push({
				path: `${entry.path}.external_item_id`,
				message: 'must be unique within the order when the item is in an add-on link',
			});
		}
		seen.add(entry.id);
	}
}

const order: Schema = {
	fields: [
		['external_id', req(text(64, 1))],
		['shop', req(text(128, 1))],
		['shop_locale', req(text(128, 1), languageTag)],
		['channel_type', req(oneOf('web', 'mobile', 'store'))],
		['channel_name', req(text(64, 1))],
		['currency', req(currencyCode)],
		['shipments', { required: true, always: true, rules: [list(shipment, { min: 1, max: 10 })] }],
		['store_id', opt(text(256))],
		['associate_id', opt(text(256))],
		['customer_name', opt(text(128, 1))],
		['customer_email', opt(text(64, 1), email)],
		['customer_language', opt(languageCode)],
		['external_customer_id', opt(text(64))],
		['placed_at', opt(dateTime)],
		['ip_address', opt(text())],
		['price_method', opt(oneOf('tax_included', 'tax_excluded'))],
		['is_preconfirmed', opt(bool)],
		['is_fulfilled', opt(bool)],
		['is_offline', opt(bool)],
		['is_historical', opt(bool)],
		['notification_blacklist', opt(list(text()))],
		['payments', opt(list(payment, { max: 40 }))],
		['extended_attributes', opt(list(extendedAttribute, { max: 100 }))],
		['shipping_address', opt(obj(address))],
		['billing_address', opt(obj(address))],
	],
	check: (value, _path, ctx) => {
		checkCorrelationRefs(value, ctx);
		checkAddons(value, ctx);
	},
};

/** Every problem found in an order injection payload; empty when it passes. */
export function validateInjectedOrder(payload: unknown): InjectionProblem[] {
	if (!isObject(payload)) return [{ path: '', message: 'must be an object' }];
	const currency = typeof payload.currency === 'string' && CURRENCY_SET.has(payload.currency) ? payload.currency : undefined;
	const ctx: Ctx = { problems: [], currency };
	validateObject(payload, order, '', ctx);
	// NewStore answers invalid_shipments when more than one shipment names a service level.
	if (Array.isArray(payload.shipments)) {
		let serviceLevels = 0;
		payload.shipments.forEach((entry, index) => {
			const option = isObject(entry) && isObject(entry.shipping_option) ? entry.shipping_option : undefined;
			if (!option || !has(option, 'service_level_identifier')) return;
			if (++serviceLevels > 1) {
				ctx.problems.push({
					path: `shipments[${index}].shipping_option.service_level_identifier`,
					message: 'is not allowed: only one shipment may name a service level (NewStore answers invalid_shipments); give the others a shipping_offer_token',
				});
			}
		});
	}
	return ctx.problems;
}
