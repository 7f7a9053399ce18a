// Small statistics for benchmark samples: median and spread.
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';

export function median(values) {
	const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
	if (!sorted.length) return undefined;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** min, median, max and the relative spread (max − min) / median of a list of numbers. */
export function summary(values) {
	const list = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
	if (!list.length) return undefined;
	const med = median(list);
	const min = Math.min(...list);
	const max = Math.max(...list);
	return { n: list.length, median: med, min, max, spread: med ? (max - min) / med : 0 };
}

/** Rounds every number of a JSON-able value to at most `digits` decimals. */
export function rounded(value, digits = 3) {
	return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(digits)) : v)));
}

function versionOf(dir, name) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, name, 'package.json'), 'utf8')).version;
	} catch {
		return undefined;
	}
}

/** The machine and software a result was measured on. */
export function machine({ root, runtimeModules, nodeVersion }) {
	const cpus = os.cpus();
	return {
		cpuModel: cpus[0]?.model?.trim(),
		cores: cpus.length,
		memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		node: nodeVersion,
		orchestratorNode: process.version,
		n8nCore: versionOf(path.join(root, 'node_modules'), 'n8n-core'),
		n8nWorkflow: versionOf(path.join(root, 'node_modules'), 'n8n-workflow'),
		n8nNodesBase: versionOf(runtimeModules, 'n8n-nodes-base'),
		date: new Date().toISOString(),
	};
}
