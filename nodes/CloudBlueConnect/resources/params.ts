import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { describe, textOf, type Params } from '../../shared/params';

/** Parameters of a request to change: ID plus a value, a value error or a structured value. */
export const parameterChanges: INodeProperties = {
	displayName: 'Parameters',
	name: 'parameters',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Parameter',
	default: {},
	options: [
		{
			displayName: 'Parameter',
			name: 'parameter',
			values: [
				{ displayName: 'Parameter ID', name: 'id', type: 'string', default: '', required: true, description: 'The ID of the product parameter, e.g. PRM-123-456-789-0001 or its name' },
				{ displayName: 'Structured Value (JSON)', name: 'structuredValue', type: 'json', default: '{}', description: 'For object or checkbox parameters; {} for none' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				{ displayName: 'Value Error', name: 'valueError', type: 'string', default: '', description: 'Tells the customer what is wrong with the value (used when inquiring)' },
			],
		},
	],
};

/** Parameters to mark as needing the customer's attention, with a message each. */
export const parameterErrors: INodeProperties = {
	displayName: 'Parameters to Ask For',
	name: 'parameters',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Parameter',
	default: {},
	options: [
		{
			displayName: 'Parameter',
			name: 'parameter',
			values: [
				{ displayName: 'Parameter ID', name: 'id', type: 'string', default: '', required: true },
				{ displayName: 'Message', name: 'valueError', type: 'string', default: '', required: true, description: 'What the customer must provide or correct' },
			],
		},
	],
};

/** `[{ id, value?, value_error?, structured_value? }]` from a parameters collection. */
export function paramList(p: Params, requireMessage = false): IDataObject[] {
	const raw = ((p.raw('parameters', {}) ?? {}) as IDataObject).parameter as IDataObject[] | undefined;
	const entries = raw ?? [];
	if (!entries.length) p.fail('parameters', 'needs at least one parameter');
	return entries.map((entry, index) => {
		// Text fields: an expression giving an object or a list is refused, not sent as "[object Object]".
		const text = (field: string) => {
			const value = textOf(entry[field]);
			return value ?? p.fail(`parameters.parameter ${index + 1}.${field}`, `must be text, got ${describe(entry[field])}`);
		};
		const id = text('id').trim();
		if (!id) p.fail('parameters', `entry ${index + 1} needs a Parameter ID`);
		const out: IDataObject = { id };
		if (entry.value !== undefined && entry.value !== '') out.value = text('value');
		if (entry.valueError !== undefined && entry.valueError !== '') out.value_error = text('valueError');
		if (entry.structuredValue !== undefined && entry.structuredValue !== '') {
			const name = `parameters.parameter ${index + 1}.structuredValue`;
			const structured = p.convert(name, entry.structuredValue, 'json');
			// Connect takes an object; {} (the form's default) and null mean "no structured value".
			if (structured !== null && (typeof structured !== 'object' || Array.isArray(structured))) {
				p.fail(name, `must be a JSON object, got ${describe(structured)}`);
			}
			if (Object.keys(structured ?? {}).length) out.structured_value = structured as IDataObject;
		}
		if (requireMessage && !out.value_error) p.fail('parameters', `entry ${index + 1} (${id}) needs a message`);
		if (Object.keys(out).length === 1) {
			p.fail('parameters', `entry ${index + 1} (${id}) needs a value, a value error or a structured value`);
		}
		return out;
	});
}
