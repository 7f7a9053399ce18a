/**
 * A minimal xlsx (Office Open XML spreadsheet) writer without dependencies: a handful of XML parts
 * in a store-only zip (no compression, so no zlib) with our own CRC-32.
 *
 * Strings are inline strings (`t="inlineStr"`), so no shared-string table has to be built; numbers
 * are numeric cells, booleans `t="b"`. There is no formatting beyond the mandatory default style:
 * this is for data exchange (e.g. CloudBlue Connect usage files), not for reports.
 */

export type Cell = string | number | boolean | null | undefined;

export interface Sheet {
	/** 1–31 characters, none of `: \ / ? * [ ]`, unique in the workbook (case-insensitive). */
	name: string;
	/** Row 0 is the header. `null`, `undefined` and `''` cells are left out (empty). */
	rows: Cell[][];
}

export interface ZipEntry {
	name: string;
	/** The content, whole or in chunks (chunks are written as they are, never joined first). */
	data: Buffer | Buffer[];
}

/** Excel's sheet limits. */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

/**
 * Largest entry or archive offset without ZIP64: 0xFFFFFFFF itself is the ZIP64 escape value,
 * so a file of 4 GiB − 1 bytes would already be misread.
 */
const MAX_ZIP_SIZE = 0xfffffffe;
const MAX_ZIP_ENTRIES = 0xffff;

/**
 * Characters of sheet XML collected as strings before they are encoded into one Buffer chunk.
 * Small enough that the strings die young (cheap garbage collection), large enough that the
 * chunk count stays low (~700 for a 90 MB sheet).
 */
const CHUNK_CHARS = 128 * 1024;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT_PREFIX = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

// ---------------------------------------------------------------------------------------------
// CRC-32 and the zip container

/**
 * Slicing-by-8 tables: table k (at offset 256·k) advances the CRC by one byte followed by k zero
 * bytes, so eight bytes are folded in per step (about four times faster than byte by byte, which
 * matters for sheets of tens of megabytes).
 */
const CRC_TABLES = (() => {
	const table = new Uint32Array(8 * 256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c;
	}
	for (let n = 0; n < 256; n++) {
		let c = table[n];
		for (let k = 1; k < 8; k++) {
			c = table[c & 0xff] ^ (c >>> 8);
			table[256 * k + n] = c;
		}
	}
	return table;
})();

/**
 * CRC-32 as zip uses it (IEEE 802.3, reflected, polynomial 0xEDB88320). Pass the previous result
 * as `previous` to continue over several chunks.
 */
export function crc32(data: Uint8Array, previous = 0): number {
	const t = CRC_TABLES;
	let crc = ~previous;
	let i = 0;
	for (const end = data.length - (data.length % 8); i < end; i += 8) {
		const low = crc ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
		crc =
			t[1792 + (low & 0xff)] ^
			t[1536 + ((low >>> 8) & 0xff)] ^
			t[1280 + ((low >>> 16) & 0xff)] ^
			t[1024 + (low >>> 24)] ^
			t[768 + data[i + 4]] ^
			t[512 + data[i + 5]] ^
			t[256 + data[i + 6]] ^
			t[data[i + 7]];
	}
	for (; i < data.length; i++) crc = t[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
	return ~crc >>> 0;
}

/** 1980-01-01 00:00:00, the earliest DOS timestamp: the default keeps output reproducible. */
const DOS_EPOCH = new Date(Date.UTC(1980, 0, 1));

/** MS-DOS time and date words (2-second resolution, years 1980–2107), from the UTC fields. */
function dosDateTime(when: Date): { time: number; date: number } {
	const clamped = Math.min(
		Math.max(when.getTime(), DOS_EPOCH.getTime()),
		Date.UTC(2107, 11, 31, 23, 59, 58),
	);
	const d = new Date(Number.isNaN(clamped) ? DOS_EPOCH.getTime() : clamped);
	return {
		time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
		date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
	};
}

/** General-purpose flag bit 11: file names are UTF-8. */
const FLAG_UTF8 = 0x0800;
/** "Version needed to extract" 2.0; as "version made by" the high byte 0 means MS-DOS. */
const ZIP_VERSION = 20;

/**
 * A zip archive whose entries are stored uncompressed (method 0). Throws a `RangeError` when
 * ZIP64 would be needed: more than 65535 entries, or an entry or the archive reaching 4 GiB.
 */
export function zipStore(entries: ZipEntry[], modified: Date = DOS_EPOCH): Buffer {
	if (entries.length > MAX_ZIP_ENTRIES) {
		throw new RangeError(`A zip without ZIP64 holds at most ${MAX_ZIP_ENTRIES} entries`);
	}
	// Sizes are checked before any CRC is computed, so an oversized archive fails at once.
	let archiveSize = 22; // end of central directory record
	const files = entries.map((entry) => {
		const name = Buffer.from(entry.name, 'utf8');
		if (name.length === 0 || name.length > 0xffff) {
			throw new RangeError(`Invalid zip entry name "${entry.name}"`);
		}
		const chunks = Array.isArray(entry.data) ? entry.data : [entry.data];
		const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
		if (size > MAX_ZIP_SIZE) {
			throw new RangeError(`Zip entry "${entry.name}" is too large (${size} bytes) without ZIP64`);
		}
		archiveSize += 30 + name.length + size + 46 + name.length;
		return { name, chunks, size };
	});
	if (archiveSize > MAX_ZIP_SIZE) {
		throw new RangeError(`The zip archive would be too large (${archiveSize} bytes) without ZIP64`);
	}

	const { time, date } = dosDateTime(modified);
	const out: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const { name, chunks, size } of files) {
		const crc = chunks.reduce((previous, chunk) => crc32(chunk, previous), 0);
		const fields = { crc, size, time, date, nameLength: name.length };

		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		writeCommon(local, 4, fields);

		const header = Buffer.alloc(46);
		header.writeUInt32LE(0x02014b50, 0);
		header.writeUInt16LE(ZIP_VERSION, 4); // version made by
		writeCommon(header, 6, fields);
		// Comment length, disk number, internal and external attributes (32–41) stay 0.
		header.writeUInt32LE(offset, 42);

		out.push(local, name, ...chunks);
		central.push(header, name);
		offset += local.length + name.length + size;
	}

	const centralSize = central.reduce((sum, part) => sum + part.length, 0);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	// Disk numbers (4, 6) stay 0: a single-disk archive.
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(centralSize, 12);
	end.writeUInt32LE(offset, 16);
	// Comment length (20) stays 0.
	return Buffer.concat([...out, ...central, end]);
}

/**
 * The fields local file headers and central directory headers share, in the same order:
 * version needed, flags, method, time, date, CRC, sizes, name length, extra field length.
 */
function writeCommon(
	buf: Buffer,
	at: number,
	f: { crc: number; size: number; time: number; date: number; nameLength: number },
): void {
	buf.writeUInt16LE(ZIP_VERSION, at);
	buf.writeUInt16LE(FLAG_UTF8, at + 2);
	buf.writeUInt16LE(0, at + 4); // method 0: stored
	buf.writeUInt16LE(f.time, at + 6);
	buf.writeUInt16LE(f.date, at + 8);
	buf.writeUInt32LE(f.crc, at + 10);
	buf.writeUInt32LE(f.size, at + 14); // compressed size
	buf.writeUInt32LE(f.size, at + 18); // uncompressed size
	buf.writeUInt16LE(f.nameLength, at + 22);
	// Extra field length (at + 24) stays 0.
}

// ---------------------------------------------------------------------------------------------
// XML text

/**
 * Characters XML 1.0 does not allow at all (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF).
 * They are dropped. Excel's own `_xHHHH_` escape is not used: openpyxl (and so most Python
 * readers) would return it literally. Lone surrogates become U+FFFD when encoded to UTF-8.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// eslint-disable-next-line no-control-regex -- as above, plus the characters XML escapes
const SPECIAL = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const ENTITIES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	// A literal CR would be normalised to LF by every XML parser.
	'\r': '&#13;',
};

/** Escapes text for element content or a double-quoted attribute; drops forbidden characters. */
function escapeXml(text: string): string {
	// `search` ignores the global flag and is much cheaper than a no-op `replace` (most text).
	if (text.search(SPECIAL) === -1) return text;
	return text.replace(SPECIAL, (ch) => ENTITIES[ch] ?? '');
}

/** Whitespace that spreadsheet applications trim or fold unless `xml:space="preserve"` is set. */
const SIGNIFICANT_SPACE = /^\s|\s$|[\t\n\r]| {2}/;

// ---------------------------------------------------------------------------------------------
// Worksheets

/** Column letters by 0-based index (A, B, …, Z, AA, …), computed once per index. */
const columnNames: string[] = [];
function columnName(index: number): string {
	let name = columnNames[index];
	if (name === undefined) {
		name = '';
		for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
			name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
		}
		columnNames[index] = name;
	}
	return name;
}

/**
 * One cell's XML: '' for an empty cell, undefined for a value a spreadsheet cannot hold (NaN,
 * ±Infinity, or a non-cell value from an untyped caller).
 *
 * Numbers use JavaScript's shortest round-trip form; its exponent forms (`1e+21`, `1e-7`) are
 * valid `xsd:double` lexical forms, and `-0` prints as `0`.
 */
function cellXml(value: Cell, ref: string): string | undefined {
	if (value === null || value === undefined) return '';
	switch (typeof value) {
		case 'string': {
			const text = escapeXml(value);
			if (text === '') return '';
			const space = SIGNIFICANT_SPACE.test(value) ? ' xml:space="preserve"' : '';
			return `<c r="${ref}" t="inlineStr"><is><t${space}>${text}</t></is></c>`;
		}
		case 'number':
			return Number.isFinite(value) ? `<c r="${ref}"><v>${value}</v></c>` : undefined;
		case 'boolean':
			return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
		default:
			return undefined;
	}
}

/**
 * The worksheet XML in chunks: rows are built as strings and encoded every `CHUNK_CHARS`
 * characters, so memory stays near the UTF-8 size of the sheet and nothing is concatenated
 * quadratically.
 */
function worksheetXml(sheet: Sheet): Buffer[] {
	if (sheet.rows.length > MAX_ROWS) {
		throw new RangeError(`Sheet "${sheet.name}" has more than ${MAX_ROWS} rows`);
	}
	const chunks: Buffer[] = [];
	let parts: string[] = [];
	let pending = 0;
	let lastRow = 0;
	let lastColumn = -1;

	for (let r = 0; r < sheet.rows.length; r++) {
		const row = sheet.rows[r];
		if (row.length > MAX_COLUMNS) {
			throw new RangeError(
				`Row ${r + 1} of sheet "${sheet.name}" has more than ${MAX_COLUMNS} cells`,
			);
		}
		const rowNumber = r + 1;
		let cells = '';
		for (let c = 0; c < row.length; c++) {
			const ref = columnName(c) + rowNumber;
			const xml = cellXml(row[c], ref);
			if (xml === undefined) {
				throw new RangeError(`Cell ${ref} of sheet "${sheet.name}" cannot hold ${String(row[c])}`);
			}
			if (xml === '') continue;
			cells += xml;
			if (c > lastColumn) lastColumn = c;
		}
		if (cells === '') continue;
		parts.push(`<row r="${rowNumber}">${cells}</row>`);
		pending += cells.length;
		lastRow = rowNumber;
		if (pending >= CHUNK_CHARS) {
			chunks.push(Buffer.from(parts.join(''), 'utf8'));
			parts = [];
			pending = 0;
		}
	}

	const dimension = lastRow === 0 ? 'A1' : `A1:${columnName(lastColumn)}${lastRow}`;
	const head =
		`${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
		`<dimension ref="${dimension}"/><sheetData>`;
	parts.push('</sheetData></worksheet>');
	chunks.push(Buffer.from(parts.join(''), 'utf8'));
	chunks.unshift(Buffer.from(head, 'utf8'));
	return chunks;
}

function checkSheetNames(sheets: Sheet[]): void {
	if (sheets.length === 0) throw new RangeError('A workbook needs at least one sheet');
	const seen = new Set<string>();
	for (const { name } of sheets) {
		if (
			typeof name !== 'string' ||
			name.length === 0 ||
			name.length > 31 ||
			/[:\\/?*[\]]/.test(name) ||
			name.replace(FORBIDDEN, '') !== name ||
			name.startsWith("'") ||
			name.endsWith("'")
		) {
			throw new RangeError(
				`Invalid sheet name "${name}": 1–31 characters, none of : \\ / ? * [ ], ` +
					"no leading or trailing '",
			);
		}
		const key = name.toLowerCase();
		if (seen.has(key)) throw new RangeError(`Duplicate sheet name "${name}"`);
		seen.add(key);
	}
}

/** The single default cell format every workbook must have (Calibri 11, no fill, no border). */
const STYLES_XML =
	`${XML_HEAD}<styleSheet xmlns="${NS_MAIN}">` +
	'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
	'<fills count="2"><fill><patternFill patternType="none"/></fill>' +
	'<fill><patternFill patternType="gray125"/></fill></fills>' +
	'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
	'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
	'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>' +
	'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
	'</styleSheet>';

/**
 * A complete xlsx workbook: `[Content_Types].xml`, `_rels/.rels`, `xl/workbook.xml` and its
 * relationships, `xl/styles.xml` and one `xl/worksheets/sheetN.xml` per sheet, in a stored zip.
 * `modified` sets the zip entries' timestamps (UTC; default 1980-01-01, so output is reproducible).
 * Throws on invalid sheet names, more than 1,048,576 rows or 16,384 columns, NaN or ±Infinity.
 */
export function buildXlsx(sheets: Sheet[], options: { modified?: Date } = {}): Buffer {
	checkSheetNames(sheets);
	const n = sheets.length;
	const sheetNumbers = sheets.map((_sheet, i) => i + 1);

	const contentTypes =
		`${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		'<Default Extension="xml" ContentType="application/xml"/>' +
		`<Override PartName="/xl/workbook.xml" ContentType="${CT_PREFIX}.sheet.main+xml"/>` +
		sheetNumbers
			.map(
				(i) =>
					`<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${CT_PREFIX}.worksheet+xml"/>`,
			)
			.join('') +
		`<Override PartName="/xl/styles.xml" ContentType="${CT_PREFIX}.styles+xml"/>` +
		'</Types>';

	const rootRels =
		`${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">` +
		`<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
		'</Relationships>';

	// Relationship rId<i> is sheet i; the styles part comes after the sheets.
	const workbook =
		`${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
		'<bookViews><workbookView activeTab="0"/></bookViews><sheets>' +
		sheets
			.map(
				(sheet, i) =>
					`<sheet name="${escapeXml(sheet.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
			)
			.join('') +
		'</sheets></workbook>';

	const workbookRels =
		`${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">` +
		sheetNumbers
			.map(
				(i) =>
					`<Relationship Id="rId${i}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`,
			)
			.join('') +
		`<Relationship Id="rId${n + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
		'</Relationships>';

	const text = (name: string, xml: string): ZipEntry => ({ name, data: Buffer.from(xml, 'utf8') });
	return zipStore(
		[
			text('[Content_Types].xml', contentTypes),
			text('_rels/.rels', rootRels),
			text('xl/workbook.xml', workbook),
			text('xl/_rels/workbook.xml.rels', workbookRels),
			text('xl/styles.xml', STYLES_XML),
			...sheets.map((sheet, i) => ({
				name: `xl/worksheets/sheet${i + 1}.xml`,
				data: worksheetXml(sheet),
			})),
		],
		options.modified,
	);
}
