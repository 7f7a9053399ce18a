import type { IDataObject } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import { choice, number, text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { conversationOf } from '../ops';

/**
 * Longest note sent as one message. Connect's spec sets no maximum; its Python SDK cut notes at
 * 540 characters, so that is the default (the user may raise it).
 */
export const NOTE_MAX_LENGTH = 540;

const instanceId = text('Object ID', 'instanceId', {
	required: true,
	placeholder: 'PR-1234-5678-9012-001',
	description: 'The fulfillment request (PR-), tier config request (TCR-) or usage file (UF-) whose conversation to use',
});

function checkInstance(value: unknown, fail: (problem: string) => never): string {
	const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
	if (!/^(PR|TCR|UF)-[A-Z0-9][A-Z0-9-]*$/.test(text)) fail('must be a request (PR-…), tier config request (TCR-…) or usage file (UF-…) ID');
	return text;
}

/** Splits text into pieces of at most `max` characters, preferring line and word breaks. */
export function splitText(textValue: string, max: number): string[] {
	const parts: string[] = [];
	let rest = textValue;
	while (rest.length > max) {
		const window = rest.slice(0, max);
		let cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
		if (cut < max * 0.5) cut = max;
		parts.push(rest.slice(0, cut).trimEnd());
		rest = rest.slice(cut).trimStart();
	}
	if (rest) parts.push(rest);
	return parts;
}

export const note: Resource = {
	value: 'note',
	name: 'Note',
	description: 'Messages in the conversation of a request, tier config request or usage file',
	operations: [
		op({
			value: 'add',
			name: 'Add',
			action: 'Add a note to a conversation',
			properties: [
				instanceId,
				text('Text', 'text', { required: true, typeOptions: { rows: 4 } }),
				choice('Type', 'type', [
					{ name: 'Message', value: 'message', description: 'Visible to the other party' },
					{ name: 'Private', value: 'private', description: 'Visible to your account only' },
				]),
				choice('Longer Text', 'overLimit', [
					{ name: 'Split Into Several Notes', value: 'split' },
					{ name: 'Reject', value: 'reject' },
				]),
				number('Max Length', 'maxLength', { default: NOTE_MAX_LENGTH, typeOptions: { minValue: 1 }, description: 'Characters per note' }),
			],
			run: async (c) => {
				const { params: p } = c;
				const id = p.required<string>('instanceId', checkInstance);
				const textValue = p.required<string>('text');
				const max = p.get<number>('maxLength', 'integer') ?? NOTE_MAX_LENGTH;
				if (textValue.length > max && p.raw('overLimit', 'split') === 'reject') {
					p.fail('text', `is ${textValue.length} characters long; notes take at most ${max}`, 'Shorten it, or choose "Split Into Several Notes" under Longer Text.');
				}
				const type = (p.get<string>('type') ?? 'message') as string;
				const conversation = await conversationOf(c, id);
				const messagesPath = pathOf('/conversations/{id}/messages', { id: String(conversation.id) });
				const out: IDataObject[] = [];
				for (const part of splitText(textValue, max)) {
					out.push((await c.send({ method: 'POST', path: messagesPath, body: { text: part, type } })).body as IDataObject);
				}
				return out;
			},
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many notes of a conversation',
			paginate: true,
			properties: [instanceId],
			run: async (c) => {
				const id = c.params.required<string>('instanceId', checkInstance);
				const conversation = await conversationOf(c, id);
				return await c.list({ method: 'GET', path: pathOf('/conversations/{id}/messages', { id: String(conversation.id) }) });
			},
		}),
	],
};
