'use strict';

/**
 * Just enough ZIP / XLSX for the fake Connect usage-file upload, with node:zlib only.
 *
 *   parseMultipart(buffer, contentType)   -> [{ name, filename, contentType, data: Buffer }]
 *   readZip(buffer)                       -> Map(path -> Buffer); stored and deflated entries, CRC checked
 *   readWorkbook(buffer)                  -> { sheets: Map(name -> rows[][]) }  (first row = headers)
 *   buildXlsx({ sheets: [{ name, rows }] }) -> Buffer (store-only xlsx, inline strings; for templates
 *                                           and tests)
 *
 * Errors are thrown as WorkbookError with a message suitable for a usage file's `error_detail`.
 */

const zlib = require('node:zlib');

class WorkbookError extends Error {}

// ---------------------------------------------------------------------------------------------
// multipart/form-data

function parseMultipart(buffer, contentType) {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
	if (!match) throw new WorkbookError('multipart body without a boundary');
	const boundary = Buffer.from(`--${match[1] || match[2]}`, 'latin1');
	const parts = [];
	let start = buffer.indexOf(boundary);
	if (start < 0) throw new WorkbookError('multipart boundary not found in the body');
	for (;;) {
		start += boundary.length;
		if (buffer.slice(start, start + 2).toString('latin1') === '--') break; // closing boundary
		if (buffer.slice(start, start + 2).toString('latin1') === '\r\n') start += 2;
		const headerEnd = buffer.indexOf('\r\n\r\n', start, 'latin1');
		if (headerEnd < 0) throw new WorkbookError('malformed multipart part (no header end)');
		const next = buffer.indexOf(boundary, headerEnd + 4);
		if (next < 0) throw new WorkbookError('malformed multipart body (no closing boundary)');
		const headers = {};
		for (const line of buffer.slice(start, headerEnd).toString('utf8').split('\r\n')) {
			const i = line.indexOf(':');
			if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
		}
		let end = next;
		if (buffer[end - 2] === 0x0d && buffer[end - 1] === 0x0a) end -= 2;
		const disposition = headers['content-disposition'] || '';
		const name = /\bname="([^"]*)"/i.exec(disposition);
		const filename = /\bfilename="([^"]*)"/i.exec(disposition);
		const filenameStar = /\bfilename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
		parts.push({
			name: name ? name[1] : null,
			filename: filenameStar ? decodeURIComponent(filenameStar[1]) : filename ? filename[1] : null,
			contentType: headers['content-type'] || null,
			data: buffer.slice(headerEnd + 4, end),
		});
		start = next;
	}
	return parts;
}

// ---------------------------------------------------------------------------------------------
// ZIP

const CRC_TABLE = (() => {
	const table = new Int32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c;
	}
	return table;
})();

function crc32(buffer) {
	if (typeof zlib.crc32 === 'function') return zlib.crc32(buffer) >>> 0;
	let c = -1;
	for (let i = 0; i < buffer.length; i++) c = CRC_TABLE[(c ^ buffer[i]) & 0xff] ^ (c >>> 8);
	return (c ^ -1) >>> 0;
}

function readZip(buffer) {
	if (buffer.length < 22 || buffer.readUInt32LE(0) !== 0x04034b50)
		throw new WorkbookError('The file is not a valid xlsx workbook (not a ZIP archive).');
	let eocd = -1;
	for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
		if (buffer.readUInt32LE(i) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0)
		throw new WorkbookError('The file is not a valid xlsx workbook (ZIP directory missing).');
	const count = buffer.readUInt16LE(eocd + 10);
	let offset = buffer.readUInt32LE(eocd + 16);
	const entries = new Map();
	for (let i = 0; i < count; i++) {
		if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== 0x02014b50)
			throw new WorkbookError('The file is not a valid xlsx workbook (corrupt ZIP directory).');
		const method = buffer.readUInt16LE(offset + 10);
		const crc = buffer.readUInt32LE(offset + 16);
		const compressedSize = buffer.readUInt32LE(offset + 20);
		const size = buffer.readUInt32LE(offset + 24);
		const nameLength = buffer.readUInt16LE(offset + 28);
		const extraLength = buffer.readUInt16LE(offset + 30);
		const commentLength = buffer.readUInt16LE(offset + 32);
		const local = buffer.readUInt32LE(offset + 42);
		const name = buffer.slice(offset + 46, offset + 46 + nameLength).toString('utf8');
		offset += 46 + nameLength + extraLength + commentLength;
		if (local + 30 > buffer.length || buffer.readUInt32LE(local) !== 0x04034b50)
			throw new WorkbookError(`The file is not a valid xlsx workbook (bad ZIP entry ${name}).`);
		const dataStart =
			local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
		const raw = buffer.slice(dataStart, dataStart + compressedSize);
		let data;
		if (method === 0) data = raw;
		else if (method === 8) {
			try {
				data = zlib.inflateRawSync(raw);
			} catch {
				throw new WorkbookError(`The file is not a valid xlsx workbook (cannot inflate ${name}).`);
			}
		} else throw new WorkbookError(`Unsupported ZIP compression method ${method} in ${name}.`);
		if (data.length !== size || crc32(data) !== crc)
			throw new WorkbookError(`The file is not a valid xlsx workbook (CRC mismatch in ${name}).`);
		entries.set(name, data);
	}
	return entries;
}

// ---------------------------------------------------------------------------------------------
// XLSX reading (regular expressions are enough for the SpreadsheetML subset workbooks use)

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeXml = (s) =>
	s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (m, e) =>
		e[0] === '#'
			? String.fromCodePoint(
					e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)),
				)
			: ENTITIES[e.toLowerCase()],
	);
const attrs = (s) => {
	const out = {};
	for (const m of s.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
		out[m[1]] = decodeXml(m[2] !== undefined ? m[2] : m[3]);
	return out;
};
const textOf = (xml) =>
	[...xml.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)]
		.map((m) => decodeXml(m[1]))
		.join('');

function columnIndex(ref) {
	const letters = /^[A-Z]+/i.exec(ref || '');
	if (!letters) return -1;
	let n = 0;
	for (const ch of letters[0].toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
	return n - 1;
}

function readSheet(xml, shared) {
	const rows = [];
	for (const rowMatch of xml.matchAll(
		/<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g,
	)) {
		const rowAttrs = attrs(rowMatch[1]);
		const rowIndex = rowAttrs.r ? Number(rowAttrs.r) - 1 : rows.length;
		const cells = [];
		let next = 0;
		for (const cell of (rowMatch[2] || '').matchAll(
			/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g,
		)) {
			const a = attrs(cell[1]);
			const col = a.r ? columnIndex(a.r) : next;
			next = col + 1;
			const body = cell[2] || '';
			const v = /<(?:\w+:)?v>([\s\S]*?)<\/(?:\w+:)?v>/.exec(body);
			let value = null;
			if (a.t === 's') value = v ? shared[Number(v[1])] : null;
			else if (a.t === 'inlineStr') value = textOf(body);
			else if (a.t === 'str' || a.t === 'e') value = v ? decodeXml(v[1]) : null;
			else if (a.t === 'b') value = v ? v[1] === '1' : null;
			else if (v) value = Number(v[1]);
			if (value !== undefined) cells[col] = value;
		}
		rows[rowIndex] = cells;
	}
	return Array.from(rows, (r) => r || []);
}

/** Sheets of an xlsx workbook by name, each a list of rows (arrays of cell values). */
function readWorkbook(buffer) {
	const zip = readZip(buffer);
	const workbook = zip.get('xl/workbook.xml');
	if (!workbook)
		throw new WorkbookError('The file is not a valid xlsx workbook (xl/workbook.xml missing).');
	const rels = new Map();
	const relsXml = zip.get('xl/_rels/workbook.xml.rels');
	if (relsXml) {
		for (const m of relsXml.toString('utf8').matchAll(/<(?:\w+:)?Relationship\b([^>]*)\/?>/g)) {
			const a = attrs(m[1]);
			rels.set(a.Id, a.Target);
		}
	}
	const sharedXml = zip.get('xl/sharedStrings.xml');
	const shared = sharedXml
		? [...sharedXml.toString('utf8').matchAll(/<(?:\w+:)?si>([\s\S]*?)<\/(?:\w+:)?si>/g)].map((m) =>
				textOf(m[1]),
			)
		: [];
	const sheets = new Map();
	const sheetTags = [...workbook.toString('utf8').matchAll(/<(?:\w+:)?sheet\b([^>]*)\/?>/g)];
	sheetTags.forEach((m, i) => {
		const a = attrs(m[1]);
		const relId = Object.entries(a).find(([k]) => /(^|:)id$/.test(k) && k !== 'sheetId');
		let target = relId && rels.get(relId[1]);
		if (!target) target = `worksheets/sheet${i + 1}.xml`;
		const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
		const xml = zip.get(path);
		if (!xml) throw new WorkbookError(`The workbook sheet "${a.name}" (${path}) is missing.`);
		sheets.set(a.name, readSheet(xml.toString('utf8'), shared));
	});
	if (!sheets.size) throw new WorkbookError('The workbook has no sheets.');
	return { sheets };
}

// ---------------------------------------------------------------------------------------------
// XLSX writing (store-only ZIP)

const escapeXml = (s) =>
	String(s).replace(
		/[&<>"]/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c],
	);

function columnName(index) {
	let name = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
		name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
	return name;
}

function sheetXml(rows) {
	const body = rows
		.map((row, r) => {
			const cells = row
				.map((value, c) => {
					if (value === null || value === undefined || value === '') return '';
					const ref = `${columnName(c)}${r + 1}`;
					if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
					if (typeof value === 'boolean') return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
					return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`;
				})
				.join('');
			return `<row r="${r + 1}">${cells}</row>`;
		})
		.join('');
	return (
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
		'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
		`<sheetData>${body}</sheetData></worksheet>`
	);
}

function zipStore(files) {
	const locals = [];
	const centrals = [];
	let offset = 0;
	for (const [name, content] of files) {
		const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
		const nameBuf = Buffer.from(name, 'utf8');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4); // version needed
		local.writeUInt16LE(0x0800, 6); // UTF-8 names
		local.writeUInt16LE(0, 8); // stored
		local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBuf.length, 26);
		local.writeUInt16LE(0, 28);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(0, 10);
		central.writeUInt32LE(0x00210000, 12);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(nameBuf.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, nameBuf, data);
		centrals.push(central, nameBuf);
		offset += 30 + nameBuf.length + data.length;
	}
	const centralBuf = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(files.length, 8);
	end.writeUInt16LE(files.length, 10);
	end.writeUInt32LE(centralBuf.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, centralBuf, end]);
}

/** Minimal valid xlsx (store-only ZIP, inline strings). sheets: [{ name, rows: [[cell, ...], ...] }] */
function buildXlsx({ sheets }) {
	const ns = 'http://schemas.openxmlformats.org';
	const files = [
		[
			'[Content_Types].xml',
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
				`<Types xmlns="${ns}/package/2006/content-types">` +
				'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
				'<Default Extension="xml" ContentType="application/xml"/>' +
				'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
				sheets
					.map(
						(_, i) =>
							`<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
					)
					.join('') +
				'</Types>',
		],
		[
			'_rels/.rels',
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
				`<Relationships xmlns="${ns}/package/2006/relationships">` +
				`<Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
				'</Relationships>',
		],
		[
			'xl/workbook.xml',
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
				`<workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets>` +
				sheets
					.map(
						(s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
					)
					.join('') +
				'</sheets></workbook>',
		],
		[
			'xl/_rels/workbook.xml.rels',
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
				`<Relationships xmlns="${ns}/package/2006/relationships">` +
				sheets
					.map(
						(_, i) =>
							`<Relationship Id="rId${i + 1}" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
					)
					.join('') +
				'</Relationships>',
		],
		...sheets.map((s, i) => [`xl/worksheets/sheet${i + 1}.xml`, sheetXml(s.rows)]),
	];
	return zipStore(files);
}

module.exports = { WorkbookError, buildXlsx, crc32, parseMultipart, readWorkbook, readZip };
