import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import { describe, type Params } from '../../shared/params';
import { choice, collection, text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { goTimeToIso, idText, pathId, stringList } from '../fields';

const SOURCE_TYPES = ['user', 'system', 'integration', 'app'].map((v) => ({ name: v[0].toUpperCase() + v.slice(1), value: v }));

/** A note text or source: present, within NewStore's lengths. */
const bounded = (max: number) => (value: unknown, fail: (problem: string) => never) => {
	const text = typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : fail(`must be text, got ${describe(value)}`);
	if (text.trim() === '') return fail('is required');
	if (text.length > max) return fail(`must be at most ${max} characters, got ${text.length}`);
	return text;
};

const tagList = (value: unknown, fail: (problem: string) => never) => {
	const tags = stringList as (v: unknown, f: (p: string) => never) => string[];
	const list = tags(value, fail);
	const long = list.find((tag) => tag.length > 128);
	if (long) return fail(`has a tag longer than 128 characters: "${long.slice(0, 40)}…"`);
	return list;
};

const orderId = idText('orderId', 'Order ID', { description: 'The NewStore order UUID' });
const noteId = idText('noteId', 'Note ID');

const noteFields: INodeProperties[] = [
	text('Text', 'text', { required: true, typeOptions: { rows: 3 }, description: 'Up to 4,000 characters' }),
	text('Source', 'source', {
		required: true,
		default: 'n8n',
		description: 'Who wrote the note: a user or integration ID (up to 256 characters)',
	}),
	choice('Source Type', 'sourceType', SOURCE_TYPES, { default: 'integration' }),
	text('Tags', 'tags', { description: 'Comma-separated tags, up to 128 characters each' }),
];

function noteBody(p: Params): IDataObject {
	return {
		text: p.required<string>('text', bounded(4000)),
		source: p.required<string>('source', bounded(256)),
		source_type: p.required<string>('sourceType'),
		tags: p.get<string[]>('tags', tagList) ?? [],
	};
}

/** Note timestamps come in Go's format; output them as ISO 8601. */
function normalizeNote(note: IDataObject): IDataObject {
	return { ...note, created_at: goTimeToIso(note.created_at), updated_at: goTimeToIso(note.updated_at) };
}

const notesPath = (p: Params) => pathOf('/v0/d/orders/{order}/notes', { order: p.required('orderId', pathId) });
const notePath = (p: Params) =>
	pathOf('/v0/d/orders/{order}/notes/{note}', { order: p.required('orderId', pathId), note: p.required('noteId', pathId) });

/** Order Notes API 0.1.0. */
export const orderNote: Resource = {
	value: 'orderNote',
	name: 'Order Note',
	operations: [
		op({
			value: 'create',
			name: 'Create',
			action: 'Add a note to an order',
			properties: [orderId, ...noteFields],
			request: (p) => ({ method: 'POST', path: notesPath(p), body: noteBody(p) }),
			normalize: normalizeNote,
		}),
		op({
			value: 'createItemNote',
			name: 'Create Item Note',
			action: 'Add a note to an order item',
			properties: [orderId, idText('itemId', 'Item ID', { description: 'The order item UUID' }), ...noteFields],
			request: (p) => ({
				method: 'POST',
				path: pathOf('/v0/d/orders/{order}/items/{item}/notes', {
					order: p.required('orderId', pathId),
					item: p.required('itemId', pathId),
				}),
				body: noteBody(p),
			}),
			normalize: normalizeNote,
		}),
		op({
			value: 'delete',
			name: 'Delete',
			action: 'Delete an order note',
			properties: [orderId, noteId],
			request: (p) => ({ method: 'DELETE', path: notePath(p) }),
			empty: (p) => ({ deleted: true, id: p.raw('noteId') as string }),
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get the notes of an order',
			description: 'Get the notes of an order and its items, newest first',
			properties: [orderId],
			clientLimit: true,
			itemsKey: 'notes',
			request: (p) => ({ method: 'GET', path: notesPath(p) }),
			normalize: normalizeNote,
		}),
		op({
			value: 'update',
			name: 'Update',
			action: 'Update an order note',
			description: 'Change the given fields of a note; the others keep their values',
			properties: [
				orderId,
				noteId,
				collection('updateFields', [
					text('Text', 'text', { typeOptions: { rows: 3 } }),
					text('Source', 'source'),
					choice('Source Type', 'sourceType', SOURCE_TYPES, { default: 'integration' }),
					text('Tags', 'tags', { description: 'Comma-separated; replaces the tags' }),
				]),
			],
			request: (p) => {
				const fields = p.collection('updateFields', { text: bounded(4000), source: bounded(256), tags: tagList });
				if (!Object.keys(fields).length) p.fail('updateFields', 'needs at least one field to change');
				// Only the given keys: NewStore would clear what is sent as null.
				const body: IDataObject = {};
				if (fields.text !== undefined) body.text = fields.text;
				if (fields.source !== undefined) body.source = fields.source;
				if (fields.sourceType !== undefined) body.source_type = fields.sourceType;
				if (fields.tags !== undefined) body.tags = fields.tags;
				// Setting fields to given values: sending it twice changes nothing more.
				return { method: 'PATCH', path: notePath(p), body, idempotent: true };
			},
			normalize: normalizeNote,
		}),
	],
};
