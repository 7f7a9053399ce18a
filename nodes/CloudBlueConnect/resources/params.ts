import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Params } from '../../shared/params';

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
		const id = String(entry.id ?? '').trim();
		if (!id) p.fail('parameters', `entry ${index + 1} needs a Parameter ID`);
		const out: IDataObject = { id };
		if (entry.value !== undefined && entry.value !== '') out.value = String(entry.value);
		if (entry.valueError !== undefined && entry.valueError !== '') out.value_error = String(entry.valueError);
		if (entry.structuredValue !== undefined && entry.structuredValue !== '') {
			const structured = p.convert(`parameters.parameter ${index + 1}.structuredValue`, entry.structuredValue, 'json') as IDataObject;
			// {} (the form's default) means "no structured value".
			if (Object.keys(structured ?? {}).length) out.structured_value = structured;
		}
		if (requireMessage && !out.value_error) p.fail('parameters', `entry ${index + 1} (${id}) needs a message`);
		if (Object.keys(out).length === 1) {
			p.fail('parameters', `entry ${index + 1} (${id}) needs a value, a value error or a structured value`);
		}
		return out;
	});
}
