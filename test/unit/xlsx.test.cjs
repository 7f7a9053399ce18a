'use strict';
// The dependency-free xlsx writer (nodes/shared/xlsx.ts) and the CloudBlue Connect usage
// workbook (nodes/CloudBlueConnect/usage/workbook.ts). Every workbook is read back with an
// independent reader: openpyxl (Debian package python3-openpyxl) for the cells and Python's
// zipfile for the container (CRC-32 of every entry, stored method, UTF-8 names, timestamps).
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { DateTime } = require('luxon');

const { buildXlsx, zipStore, crc32 } = require('../../dist/nodes/shared/xlsx.js');
const {
	USAGE_COLUMNS,
	GENERIC_CATEGORY,
	prepareUsageRecords,
	buildUsageWorkbook,
} = require('../../dist/nodes/CloudBlueConnect/usage/workbook.js');

const READER = path.join(__dirname, 'xlsx', 'read_xlsx.py');

/** The first Python that has openpyxl (a pyenv `python3` may shadow Debian's). */
const PYTHON = [process.env.PYTHON, 'python3', '/usr/bin/python3']
	.filter(Boolean)
	.find((candidate) => {
		try {
			execFileSync(candidate, ['-c', 'import openpyxl'], { stdio: 'ignore' });
			return true;
		} catch {
			return false;
		}
	});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-test-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let fileCount = 0;
/** Writes the workbook to a file and returns what read_xlsx.py makes of it. */
function read(buffer) {
	assert.ok(PYTHON, 'python3 with openpyxl is needed: apt-get install -y python3-openpyxl');
	const file = path.join(tmp, `book-${++fileCount}.xlsx`);
	fs.writeFileSync(file, buffer);
	const dump = JSON.parse(
		execFileSync(PYTHON, [READER, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
	);
	assert.equal(dump.zip.testzip, null, 'every zip entry passes its CRC-32 check');
	for (const entry of dump.zip.entries) {
		assert.equal(entry.compress_type, 0, `${entry.name} is stored`);
		assert.equal(entry.compress_size, entry.file_size);
		assert.equal(entry.flag_bits & 0x0800, 0x0800, `${entry.name} has the UTF-8 flag`);
	}
	return dump;
}

function sheetOf(dump, name) {
	const sheet = dump.sheets.find((s) => s.name === name);
	assert.ok(sheet, `sheet ${name} exists (have ${dump.sheets.map((s) => s.name)})`);
	return sheet;
}

/** What openpyxl should report for a cell written from `value`: [data_type, python type, value]. */
function expectedCell(value) {
	if (value === null || value === undefined || value === '') return ['n', 'NoneType', null];
	if (typeof value === 'string') return ['s', 'str', value];
	if (typeof value === 'boolean') return ['b', 'bool', value];
	// openpyxl casts <v> text with '.', 'e' or 'E' to float, anything else to int.
	const text = String(value);
	return ['n', /[.eE]/.test(text) ? 'float' : 'int', Object.is(value, -0) ? 0 : value];
}

/**
 * Checks every cell of a sheet: `expected` rows of JS values (strings as openpyxl should return
 * them), missing cells empty. The sheet's extent must be exactly that of the non-empty cells.
 */
function assertCells(sheet, expected) {
	const isEmpty = (v) => v === null || v === undefined || v === '';
	let maxRow = 0;
	let maxColumn = 0;
	expected.forEach((row, r) =>
		row.forEach((v, c) => {
			if (!isEmpty(v)) {
				maxRow = Math.max(maxRow, r + 1);
				maxColumn = Math.max(maxColumn, c + 1);
			}
		}),
	);
	assert.equal(sheet.max_row, Math.max(maxRow, 1), `${sheet.name}: rows`);
	assert.equal(sheet.max_column, Math.max(maxColumn, 1), `${sheet.name}: columns`);
	for (let r = 0; r < sheet.max_row; r++) {
		for (let c = 0; c < sheet.max_column; c++) {
			// openpyxl yields no rows at all for a sheet without cells.
			assert.deepEqual(
				sheet.rows[r]?.[c] ?? ['n', 'NoneType', null],
				expectedCell(expected[r]?.[c]),
				`${sheet.name}: cell row ${r + 1} column ${c + 1}`,
			);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// CRC-32 and zip

test('crc32: check value, empty input, chunks, and agreement with zlib', () => {
	assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
	assert.equal(crc32(Buffer.alloc(0)), 0);
	assert.equal(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
	let seed = 12345;
	const random = (n) =>
		Buffer.from(Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
	for (const length of [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 1000, 4099]) {
		const data = random(length);
		if (zlib.crc32) assert.equal(crc32(data), zlib.crc32(data), `length ${length}`);
		for (const cut of [0, 1, 3, 8, Math.floor(length / 2), length]) {
			const whole = crc32(data);
			assert.equal(crc32(data.subarray(cut), crc32(data.subarray(0, cut))), whole, `cut ${cut}`);
		}
	}
});

test('zipStore: stored entries with UTF-8 names, CRCs and timestamps that zipfile accepts', () => {
	const entries = [
		{ name: 'a.txt', data: Buffer.from('hello') },
		{ name: 'données/ü 日本.xml', data: [Buffer.from('<x>'), Buffer.from('é</x>')] },
		{ name: 'empty', data: Buffer.alloc(0) },
	];
	const file = path.join(tmp, 'plain.zip');
	const pyZip = (zipBuffer) => {
		fs.writeFileSync(file, zipBuffer);
		return JSON.parse(
			execFileSync(
				PYTHON,
				[
					'-c',
					[
						'import json, sys, zipfile',
						'z = zipfile.ZipFile(sys.argv[1])',
						'print(json.dumps({"bad": z.testzip(), "entries": [{"name": i.filename, "flags": i.flag_bits,',
						'  "method": i.compress_type, "date": list(i.date_time), "crc": i.CRC,',
						'  "data": z.read(i).decode("utf-8")} for i in z.infolist()]}))',
					].join('\n'),
					file,
				],
				{ encoding: 'utf8' },
			),
		);
	};
	assert.ok(PYTHON, 'python3 with openpyxl is needed: apt-get install -y python3-openpyxl');

	const fixed = pyZip(zipStore(entries));
	assert.equal(fixed.bad, null);
	assert.deepEqual(
		fixed.entries.map((e) => [e.name, e.data, e.method, e.flags & 0x0800, e.date]),
		[
			['a.txt', 'hello', 0, 0x0800, [1980, 1, 1, 0, 0, 0]],
			['données/ü 日本.xml', '<x>é</x>', 0, 0x0800, [1980, 1, 1, 0, 0, 0]],
			['empty', '', 0, 0x0800, [1980, 1, 1, 0, 0, 0]],
		],
	);
	assert.equal(fixed.entries[0].crc, crc32(Buffer.from('hello')));

	const dated = pyZip(zipStore(entries, new Date(Date.UTC(2024, 4, 17, 13, 45, 31))));
	assert.deepEqual(dated.entries[0].date, [2024, 5, 17, 13, 45, 30], '2-second resolution, UTC');
	const early = pyZip(zipStore(entries, new Date(Date.UTC(1970, 0, 1))));
	assert.deepEqual(early.entries[0].date, [1980, 1, 1, 0, 0, 0], 'clamped to the DOS epoch');

	assert.deepEqual(zipStore(entries), zipStore(entries), 'reproducible output');
});

test('zipStore refuses what would need ZIP64, before reading any data', () => {
	const tiny = { name: 'x', data: Buffer.alloc(0) };
	assert.throws(() => zipStore(Array(65536).fill(tiny)), /at most 65535 entries/);
	const many = zipStore(Array(65535).fill(tiny));
	assert.equal(many.readUInt16LE(many.length - 22 + 10), 65535, '65535 entries are fine');

	// Chunks that all reference one MiB: sizes add up without allocating gigabytes.
	const mib = Buffer.alloc(1 << 20);
	const of = (bytes) => [
		...Array(Math.floor(bytes / mib.length)).fill(mib),
		mib.subarray(0, bytes % mib.length),
	];
	assert.throws(() => zipStore([{ name: 'big', data: of(2 ** 32) }]), /"big" is too large/);
	assert.throws(() => zipStore([{ name: 'big', data: of(2 ** 32 - 1) }]), /"big" is too large/);
	assert.throws(
		() => zipStore([{ name: 'big', data: of(2 ** 32 - 2) }]),
		/archive would be too large/,
		'an entry of 4 GiB - 2 bytes fits, but not with its headers',
	);
	assert.throws(
		() =>
			zipStore([
				{ name: 'a', data: of(2 ** 31) },
				{ name: 'b', data: of(2 ** 31) },
			]),
		/archive would be too large/,
	);
	assert.throws(() => zipStore([{ name: '', data: Buffer.alloc(0) }]), /Invalid zip entry name/);
});

// ---------------------------------------------------------------------------------------------
// Generic workbooks

test('buildXlsx: the package parts, relationships and sheet order', () => {
	const buffer = buildXlsx([
		{ name: 'First', rows: [['a']] },
		{ name: 'Q&A <2> "x"', rows: [[1]] },
		{ name: 'données', rows: [[true]] },
	]);
	const dump = read(buffer);
	assert.deepEqual(
		dump.zip.entries.map((e) => e.name),
		[
			'[Content_Types].xml',
			'_rels/.rels',
			'xl/workbook.xml',
			'xl/_rels/workbook.xml.rels',
			'xl/styles.xml',
			'xl/worksheets/sheet1.xml',
			'xl/worksheets/sheet2.xml',
			'xl/worksheets/sheet3.xml',
		],
	);
	assert.deepEqual(
		dump.sheets.map((s) => s.name),
		['First', 'Q&A <2> "x"', 'données'],
	);
	assertCells(sheetOf(dump, 'First'), [['a']]);
	assertCells(sheetOf(dump, 'Q&A <2> "x"'), [[1]]);
	assertCells(sheetOf(dump, 'données'), [[true]]);
	assert.match(dump.parts['xl/workbook.xml'], /name="Q&amp;A &lt;2&gt; &quot;x&quot;"/);
	for (const xml of Object.values(dump.parts)) {
		assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8" standalone="yes"\?>/);
	}
	assert.deepEqual(
		buffer,
		buildXlsx([
			{ name: 'First', rows: [['a']] },
			{ name: 'Q&A <2> "x"', rows: [[1]] },
			{ name: 'données', rows: [[true]] },
		]),
		'reproducible output',
	);
});

test('buildXlsx: text is escaped, unicode kept, control characters dropped, spaces preserved', () => {
	const written = [
		['<tag attr="v">', "it's & done", '"quoted"', '>&<'],
		['Grüße, 日本語, Ελληνικά', '👍🏽 emoji 🚀', '  leading', 'trailing  '],
		['a\tb', 'line1\nline2', 'cr\r\nlf', 'double  space'],
		['a\u0000b\u0007c\u000bd\u001fe', 'x\ufffey\uffffz', '\u0001\u0002', 'lone \ud800 surrogate'],
		['007', '=SUM(A1:A2)', '_x0041_', ' '],
		['1e5', 'true', 'null', '-0'],
	];
	const readAs = [
		['<tag attr="v">', "it's & done", '"quoted"', '>&<'],
		['Grüße, 日本語, Ελληνικά', '👍🏽 emoji 🚀', '  leading', 'trailing  '],
		['a\tb', 'line1\nline2', 'cr\r\nlf', 'double  space'],
		['abcde', 'xyz', null, 'lone \ufffd surrogate'],
		['007', '=SUM(A1:A2)', '_x0041_', ' '],
		['1e5', 'true', 'null', '-0'],
	];
	const dump = read(buildXlsx([{ name: 'Text', rows: written }]));
	assertCells(sheetOf(dump, 'Text'), readAs);

	const xml = dump.parts['xl/worksheets/sheet1.xml'];
	assert.match(
		xml,
		/<c r="A1" t="inlineStr"><is><t>&lt;tag attr=&quot;v&quot;&gt;<\/t><\/is><\/c>/,
	);
	assert.match(xml, /<c r="C2" t="inlineStr"><is><t xml:space="preserve">  leading<\/t>/);
	assert.match(xml, /<c r="D2" t="inlineStr"><is><t xml:space="preserve">trailing  <\/t>/);
	assert.match(xml, /<c r="C3" t="inlineStr"><is><t xml:space="preserve">cr&#13;\nlf<\/t>/);
	assert.match(xml, /<c r="A2" t="inlineStr"><is><t>Grüße/, 'no xml:space where not needed');
	assert.doesNotMatch(xml, /r="C4"/, 'a string of control characters only is an empty cell');
	assert.doesNotMatch(xml, /<f>/, 'text starting with = is not a formula');
});

test('buildXlsx: numbers stay numbers, with exponents, negative zero and extremes', () => {
	const numbers = [
		[0, -0, 1, -1, 42, 1.5, -2.25, 0.1 + 0.2],
		[
			123456789012,
			2 ** 53 - 1,
			-(2 ** 53 - 1),
			1e21,
			1.5e300,
			Number.MAX_VALUE,
			Number.MIN_VALUE,
			-1e-10,
		],
		[1e-7, 123e-20, 1e20, 99999999999999999999, 3.14159, -1234.5678, 1 / 3, 100],
	];
	const dump = read(buildXlsx([{ name: 'Numbers', rows: numbers }]));
	assertCells(sheetOf(dump, 'Numbers'), numbers);
	const xml = dump.parts['xl/worksheets/sheet1.xml'];
	assert.match(xml, /<c r="B1"><v>0<\/v><\/c>/, '-0 is written as 0');
	assert.match(xml, /<c r="D2"><v>1e\+21<\/v><\/c>/);
	assert.match(xml, /<c r="A3"><v>1e-7<\/v><\/c>/);
});

test('buildXlsx: booleans, empty cells, sparse and empty rows', () => {
	const rows = [
		['h1', 'h2', 'h3', 'h4'],
		[true, false, null, 'x'],
		[undefined, '', 0, null],
		[],
		[null, null, null],
		['', 'after gap'],
		[null, null, null, null, null, 'far', null, null],
	];
	const dump = read(buildXlsx([{ name: 'Sparse', rows }]));
	const sheet = sheetOf(dump, 'Sparse');
	assertCells(sheet, rows);
	assert.equal(sheet.dimension, 'A1:F7');
	const xml = dump.parts['xl/worksheets/sheet1.xml'];
	assert.match(xml, /<c r="A2" t="b"><v>1<\/v><\/c><c r="B2" t="b"><v>0<\/v><\/c>/);
	assert.doesNotMatch(xml, /<row r="4"|<row r="5"/, 'rows without values are left out');
	assert.match(xml, /<dimension ref="A1:F7"\/>/);

	const empty = read(buildXlsx([{ name: 'Empty', rows: [] }]));
	assertCells(sheetOf(empty, 'Empty'), []);
	assert.match(
		empty.parts['xl/worksheets/sheet1.xml'],
		/<dimension ref="A1"\/><sheetData><\/sheetData>/,
	);
});

test('buildXlsx: many columns get A1 references beyond Z (AA, AZ, ZZ, AAA)', () => {
	const width = 703 + 3; // column 703 is AAA
	const header = Array.from({ length: width }, (_, i) => `col ${i + 1}`);
	const values = Array.from({ length: width }, (_, i) => i * 1.5);
	const mixed = Array.from({ length: width }, (_, i) =>
		i % 3 === 0 ? null : i % 3 === 1 ? `s${i}` : i,
	);
	const dump = read(buildXlsx([{ name: 'Wide', rows: [header, values, mixed] }]));
	assertCells(sheetOf(dump, 'Wide'), [header, values, mixed]);
	const xml = dump.parts['xl/worksheets/sheet1.xml'];
	for (const ref of ['Z1', 'AA1', 'AZ1', 'BA1', 'ZZ1', 'AAA1', 'AAD1', 'AB2']) {
		assert.match(xml, new RegExp(`<c r="${ref}"`), ref);
	}
	assert.match(xml, /<dimension ref="A1:AAD3"\/>/);
});

test('buildXlsx refuses values and names a spreadsheet cannot hold', () => {
	const one =
		(rows, name = 'S') =>
		() =>
			buildXlsx([{ name, rows }]);
	assert.throws(one([['a', NaN]]), /Cell B1 of sheet "S" cannot hold NaN/);
	assert.throws(one([[], [Infinity]]), /Cell A2 of sheet "S" cannot hold Infinity/);
	assert.throws(one([[-Infinity]]), /cannot hold -Infinity/);
	assert.throws(one([[{ a: 1 }]]), /Cell A1 of sheet "S"/);
	assert.throws(one([[10n]]), /Cell A1 of sheet "S"/);
	assert.throws(one([new Array(16385).fill(1)]), /more than 16384 cells/);
	for (const name of [
		'',
		'x'.repeat(32),
		'a/b',
		'a\\b',
		'a:b',
		'a?b',
		'a*b',
		'a[1]',
		"'quoted'",
		'tab\u0001',
	]) {
		assert.throws(one([['v']], name), /Invalid sheet name/, JSON.stringify(name));
	}
	assert.doesNotThrow(one([['v']], 'x'.repeat(31)));
	assert.throws(() => buildXlsx([]), /at least one sheet/);
	assert.throws(
		() =>
			buildXlsx([
				{ name: 'Data', rows: [] },
				{ name: 'DATA', rows: [] },
			]),
		/Duplicate sheet name "DATA"/,
	);
});

// ---------------------------------------------------------------------------------------------
// CloudBlue Connect usage workbook

/** A valid record; `over` replaces or adds columns. */
const record = (over = {}) => ({
	item_search_criteria: 'item.mpn',
	item_search_value: 'MPN-1',
	quantity: 5,
	start_time_utc: '2024-05-01T00:00:00Z',
	end_time_utc: '2024-05-31T23:59:59Z',
	asset_search_criteria: 'asset.id',
	asset_search_value: 'AS-1',
	...over,
});

const HEADER = [
	'record_id',
	'record_note',
	'item_search_criteria',
	'item_search_value',
	'amount',
	'quantity',
	'start_time_utc',
	'end_time_utc',
	'asset_search_criteria',
	'asset_search_value',
	'item_name',
	'item_mpn',
	'item_precision',
	'category_id',
	'asset_recon_id',
	'tier',
];

test("usage columns are the SDK's 16, in order", () => {
	assert.deepEqual([...USAGE_COLUMNS], HEADER);
});

test('usage workbook (SDK layout): every cell read back, numbers as numbers, UTC dates', () => {
	const records = [
		record({
			record_note: '  note with spaces & <markup> ',
			amount: 12.5,
			quantity: '1.5',
			item_name: 'Storage (GB)',
			item_mpn: 'STOR-GB',
			item_precision: 'Decimal(2)',
			asset_recon_id: 'recon-1',
			tier: '1',
			unrelated_field: 'ignored',
		}),
		record({
			record_id: 'custom-7',
			item_search_criteria: 'item.local_id',
			item_search_value: 12345,
			amount: '0',
			quantity: 0,
			start_time_utc: '2024-05-01T01:30:00+02:00',
			end_time_utc: new Date(Date.UTC(2024, 4, 2, 12, 0, 0)),
			asset_search_criteria: 'parameter.subscription_id',
			asset_search_value: ' SUB-9 ',
			category_id: 'storage',
			tier: 2,
		}),
		record({ amount: -3, quantity: 1e6, category_id: ' ' }),
	];
	const categories = [
		{ category_id: 'storage', category_name: 'Storage', category_description: 'Disk & backup' },
	];
	const prepared = prepareUsageRecords(records, {
		usageFileId: 'UF-2024-05-0007',
		schema: 'TR',
		categories,
	});
	assert.deepEqual(prepared.problems, []);
	assert.deepEqual(prepared.categoriesUsed, ['generic_category', 'storage']);

	const dump = read(buildUsageWorkbook(prepared.rows, categories));
	assert.deepEqual(
		dump.sheets.map((s) => s.name),
		['usage_records', 'categories'],
	);
	assertCells(sheetOf(dump, 'usage_records'), [
		HEADER,
		[
			'UF-2024-05-0007_record_1',
			'  note with spaces & <markup> ',
			'item.mpn',
			'MPN-1',
			12.5,
			1.5,
			'2024-05-01 00:00:00',
			'2024-05-31 23:59:59',
			'asset.id',
			'AS-1',
			'Storage (GB)',
			'STOR-GB',
			'decimal(2)',
			'generic_category',
			'recon-1',
			1,
		],
		[
			'custom-7',
			null,
			'item.local_id',
			'12345',
			0,
			0,
			'2024-04-30 23:30:00',
			'2024-05-02 12:00:00',
			'parameter.subscription_id',
			'SUB-9',
			null,
			null,
			null,
			'storage',
			null,
			2,
		],
		[
			'UF-2024-05-0007_record_3',
			null,
			'item.mpn',
			'MPN-1',
			-3,
			1000000,
			'2024-05-01 00:00:00',
			'2024-05-31 23:59:59',
			'asset.id',
			'AS-1',
			null,
			null,
			null,
			'generic_category',
			null,
			null,
		],
	]);
	assertCells(sheetOf(dump, 'categories'), [
		['category_id', 'category_name', 'category_description'],
		['storage', 'Storage', 'Disk & backup'],
		['generic_category', 'Generic Category', 'Generic autogenerated category'],
	]);
});

test('usage workbook (official layout): sheet "records"; generic category only when used, once', () => {
	const { rows } = prepareUsageRecords([record({ category_id: 'cat-a' })], { schema: 'qt' });
	const dump = read(
		buildUsageWorkbook(rows, [{ category_id: 'cat-a', category_name: 'A' }], 'official'),
	);
	assert.deepEqual(
		dump.sheets.map((s) => s.name),
		['records', 'categories'],
	);
	assertCells(sheetOf(dump, 'records'), [
		HEADER,
		[
			'record_1',
			null,
			'item.mpn',
			'MPN-1',
			null,
			5,
			'2024-05-01 00:00:00',
			'2024-05-31 23:59:59',
			'asset.id',
			'AS-1',
			null,
			null,
			null,
			'cat-a',
			null,
			null,
		],
	]);
	assertCells(sheetOf(dump, 'categories'), [
		['category_id', 'category_name', 'category_description'],
		['cat-a', 'A'],
	]);

	const generic = prepareUsageRecords([record()], {});
	const listed = read(buildUsageWorkbook(generic.rows, [GENERIC_CATEGORY], 'official'));
	assertCells(sheetOf(listed, 'categories'), [
		['category_id', 'category_name', 'category_description'],
		['generic_category', 'Generic Category', 'Generic autogenerated category'],
	]);
	const none = read(buildUsageWorkbook([], []));
	assertCells(sheetOf(none, 'usage_records'), [HEADER]);
	assertCells(sheetOf(none, 'categories'), [
		['category_id', 'category_name', 'category_description'],
	]);
});

test('usage dates: offsets, SQL, RFC 2822, Date, epoch ms and luxon become UTC YYYY-MM-DD HH:MM:SS', () => {
	const cases = [
		['2024-05-01T00:30:00+02:00', '2024-04-30 22:30:00'],
		['2024-05-01T10:00:00-05:30', '2024-05-01 15:30:00'],
		['2024-05-01T10:00:00+0100', '2024-05-01 09:00:00'],
		['2024-05-01T10:00:00+01', '2024-05-01 09:00:00'],
		['2024-05-01T10:00:00.999Z', '2024-05-01 10:00:00'],
		['2024-05-01T10:00', '2024-05-01 10:00:00'],
		['2024-05-01', '2024-05-01 00:00:00'],
		['2024-05-01 10:20:30', '2024-05-01 10:20:30'],
		[' 2024-12-31T23:59:59z ', '2024-12-31 23:59:59'],
		['2024-03-01T00:30:00+01:00', '2024-02-29 23:30:00'],
		['2024-05-01T24:00:00Z', '2024-05-02 00:00:00'],
		['20240501T103000+0200', '2024-05-01 08:30:00'],
		['2024-W18-3', '2024-05-01 00:00:00'],
		['Wed, 01 May 2024 10:00:00 +0200', '2024-05-01 08:00:00'],
		['Wed, 01 May 2024 10:00:00 GMT', '2024-05-01 10:00:00'],
		[new Date('2024-05-01T10:00:00+03:00'), '2024-05-01 07:00:00'],
		[Date.UTC(2024, 4, 1, 6, 7, 8), '2024-05-01 06:07:08'],
		[DateTime.fromISO('2024-05-01T10:00:00', { zone: 'America/New_York' }), '2024-05-01 14:00:00'],
	];
	const records = cases.map(([start]) =>
		record({ start_time_utc: start, end_time_utc: '2025-01-01' }),
	);
	const { rows, problems } = prepareUsageRecords(records);
	assert.deepEqual(problems, []);
	const start = USAGE_COLUMNS.indexOf('start_time_utc');
	assert.deepEqual(
		rows.map((row) => row[start]),
		cases.map(([, expected]) => expected),
	);
	const dump = read(buildUsageWorkbook(rows.slice(0, 2), []));
	assert.equal(sheetOf(dump, 'usage_records').rows[1][start][2], '2024-04-30 22:30:00');
});

test('usage problems name the item index and field; nothing throws; bad records give no row', () => {
	const records = [
		record(), // 0: fine
		record({ item_search_criteria: undefined }), // 1
		record({ item_search_value: '  ', asset_search_value: null }), // 2
		record({ quantity: 'abc' }), // 3
		record({ quantity: '1,5' }), // 4
		record({ quantity: undefined }), // 5
		record({ quantity: NaN, amount: Infinity }), // 6
		record({ start_time_utc: 'yesterday' }), // 7
		record({ start_time_utc: '2024-06-01T00:00:00Z', end_time_utc: '2024-05-31T23:59:59Z' }), // 8
		record({ record_id: 'dup' }), // 9
		record({ record_id: 'dup' }), // 10
		record({ record_id: 'record_1' }), // 11: collides with item 0's generated id
		record({ item_search_criteria: 'mpn', asset_search_criteria: 'id' }), // 12
		record({ end_time_utc: 1714550400 }), // 13: epoch seconds, not ms
		record({ start_time_utc: '2024-02-30' }), // 14
		record({ item_precision: 'decimal(3)' }), // 15
		record({ tier: 1.5 }), // 16
		record({ item_name: { nested: true }, end_time_utc: undefined }), // 17
		record({ start_time_utc: new Date('invalid') }), // 18
	];
	const { rows, problems, categoriesUsed } = prepareUsageRecords(records);
	assert.deepEqual(
		problems.map((p) => [p.itemIndex, p.field]),
		[
			[1, 'item_search_criteria'],
			[2, 'item_search_value'],
			[2, 'asset_search_value'],
			[3, 'quantity'],
			[4, 'quantity'],
			[5, 'quantity'],
			[6, 'quantity'],
			[6, 'amount'],
			[7, 'start_time_utc'],
			[8, 'end_time_utc'],
			[10, 'record_id'],
			[11, 'record_id'],
			[12, 'item_search_criteria'],
			[12, 'asset_search_criteria'],
			[13, 'end_time_utc'],
			[14, 'start_time_utc'],
			[15, 'item_precision'],
			[16, 'tier'],
			[17, 'end_time_utc'],
			[17, 'item_name'],
			[18, 'start_time_utc'],
		],
	);
	const message = (index, field) =>
		problems.find((p) => p.itemIndex === index && p.field === field).message;
	assert.equal(message(1, 'item_search_criteria'), 'is required');
	assert.equal(message(3, 'quantity'), 'must be a number, got "abc"');
	assert.equal(
		message(4, 'quantity'),
		'must be a number, got "1,5" (use a dot as the decimal separator)',
	);
	assert.equal(message(5, 'quantity'), 'is required');
	assert.equal(message(6, 'quantity'), 'must be a number, got "NaN"');
	assert.match(message(7, 'start_time_utc'), /must be a date and time .* got "yesterday"/);
	assert.equal(
		message(8, 'end_time_utc'),
		'2024-05-31 23:59:59 is before start_time_utc 2024-06-01 00:00:00 (UTC)',
	);
	assert.equal(message(10, 'record_id'), '"dup" is already the record_id of item 9');
	assert.equal(message(11, 'record_id'), '"record_1" is already the record_id of item 0');
	assert.match(
		message(12, 'item_search_criteria'),
		/item\.mpn, item\.local_id or item\.id, got "mpn"/,
	);
	assert.match(message(13, 'end_time_utc'), /1970-01-20.*epoch numbers must be in milliseconds/);
	assert.match(
		message(15, 'item_precision'),
		/integer, decimal\(1\), decimal\(2\), decimal\(4\), decimal\(8\)/,
	);
	assert.match(message(16, 'tier'), /tier level/);
	assert.equal(message(17, 'item_name'), 'must be text, got an object');
	assert.match(message(18, 'start_time_utc'), /got an invalid date/);

	const recordId = USAGE_COLUMNS.indexOf('record_id');
	assert.deepEqual(
		rows.map((row) => row[recordId]),
		['record_1', 'dup'],
	);
	assert.deepEqual(categoriesUsed, ['generic_category']);
});

test('usage numbers: numeric text accepted, overflow and absurd epochs reported, not thrown', () => {
	const { rows, problems } = prepareUsageRecords([
		record({ quantity: ' 1e3 ', amount: '-.5' }),
		record({ quantity: '1e400' }),
		record({ end_time_utc: 1e20 }),
		record({ start_time_utc: new Date(Date.UTC(10000, 0, 1)) }),
		record({ start_time_utc: '1999-12-31T23:00:00-02:00' }),
		record({ start_time_utc: DateTime.fromISO('1999-12-31T23:00:00Z', { zone: 'utc' }) }),
	]);
	assert.deepEqual(
		rows.map((row) => [
			row[USAGE_COLUMNS.indexOf('quantity')],
			row[USAGE_COLUMNS.indexOf('amount')],
		]),
		[
			[1000, -0.5],
			[5, undefined],
		],
		'item 4 is 2000-01-01 01:00 UTC',
	);
	assert.deepEqual(
		problems.map((p) => [p.itemIndex, p.field, p.message]),
		[
			[1, 'quantity', 'must be a number, got "1e400"'],
			[
				2,
				'end_time_utc',
				'must be in the years 2000 to 9999, got "100000000000000000000"; epoch numbers must be in milliseconds',
			],
			[
				3,
				'start_time_utc',
				'must be in the years 2000 to 9999, got a date (+010000-01-01T00:00:00.000Z)',
			],
			[
				5,
				'start_time_utc',
				'must be in the years 2000 to 9999, got a date (1999-12-31T23:00:00.000Z)',
			],
		],
	);
});

test('usage schema rules: amount refused for QT, required for TR/CR/PR; tier only for TR', () => {
	const fields = (options, records) =>
		prepareUsageRecords(records, options).problems.map((p) => [p.itemIndex, p.field, p.message]);
	assert.deepEqual(fields({ schema: 'QT' }, [record(), record({ amount: 3 })]), [
		[1, 'amount', 'is not used with the QT schema (only TR, CR and PR); leave it empty'],
	]);
	for (const schema of ['TR', 'CR', 'pr']) {
		assert.deepEqual(fields({ schema }, [record({ amount: 1 }), record()]), [
			[1, 'amount', `is required with the ${schema.toUpperCase()} schema`],
		]);
	}
	assert.deepEqual(fields({ schema: 'CR' }, [record({ amount: 1, tier: 1 })]), [
		[0, 'tier', 'is only used with the TR schema, not CR; leave it empty'],
	]);
	assert.deepEqual(
		fields({}, [record({ amount: 1, tier: 2 }), record()]),
		[],
		'no schema: not checked',
	);
	assert.deepEqual(
		fields({ schema: 'TR' }, [record({ amount: 1, tier: 0 })]).map((p) => p[1]),
		['tier'],
	);
});

test('usage options: file id in generated ids, default category, known categories', () => {
	const { rows, problems } = prepareUsageRecords([record(), record({ category_id: 'other' })], {
		usageFileId: ' UF-1 ',
		defaultCategoryId: 'cat-a',
		categories: [{ category_id: 'cat-a', category_name: 'A' }],
	});
	assert.deepEqual(problems, [
		{
			itemIndex: 1,
			field: 'category_id',
			message: '"other" is not one of the categories of the file',
		},
	]);
	assert.deepEqual(rows[0].slice(0, 1), ['UF-1_record_1']);
	assert.equal(rows[0][USAGE_COLUMNS.indexOf('category_id')], 'cat-a');
	assert.deepEqual(
		prepareUsageRecords([record({ category_id: 'generic_category' })], { categories: [] }).problems,
		[],
		'generic_category is always known: the workbook adds it',
	);
});
