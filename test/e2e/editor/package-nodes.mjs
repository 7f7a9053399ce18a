// What the editor should show, read from the package itself: package.json `n8n.nodes` → the
// built node classes in dist/, loaded by n8n-core's PackageDirectoryLoader exactly as n8n loads
// a community package (so parameters n8n adds itself, such as a polling trigger's Poll Times,
// are there too). Visibility of parameters is decided by n8n-workflow's NodeHelpers, the rules
// the editor applies. Nothing here is a hard-coded list of nodes, resources or operations.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Parameter types that have no input of their own in the panel. */
const NO_INPUT_TYPES = new Set(['hidden']);
/** Parameter types rendered as text blocks (no label/input pair). */
const TEXT_TYPES = new Set(['notice', 'callout']);

/** The description of a loaded node type, resolving versioned node types to their default version. */
function descriptionOf(type) {
	if (type.nodeVersions) {
		const version = type.currentVersion ?? type.description.defaultVersion;
		return { ...type.description, ...type.nodeVersions[version].description, version };
	}
	return type.description;
}

/** Every node the package declares (`root` is the package folder; dist/ must be built). */
export async function packageNodes(root) {
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
		if (!fs.existsSync(path.join(root, file)))
			throw new Error(`${file} (package.json n8n) does not exist: run \`npm run build\` first`);
	}
	// n8n-core and n8n-workflow are devDependencies of the package, same versions as the n8n run.
	const local = createRequire(path.join(root, 'package.json'));
	const { PackageDirectoryLoader } = local('n8n-core');
	const { NodeHelpers } = local('n8n-workflow');
	const loader = new PackageDirectoryLoader(root);
	await loader.loadAll();
	return Object.values(loader.nodeTypes).map(
		({ type }) => new PackageNode(pkg.name, descriptionOf(type), NodeHelpers),
	);
}

export class PackageNode {
	constructor(packageName, description, helpers) {
		this.description = description;
		this.helpers = helpers;
		this.type = `${packageName}.${description.name}`;
		this.displayName = description.displayName;
		this.isTrigger = (description.group ?? []).includes('trigger');
		this.version = Array.isArray(description.version)
			? Math.max(...description.version)
			: description.version;
		// Dropdowns other parts of the description depend on (Resource, Operation, an Event, a
		// mode used in an expression such as the webhook's HTTP method…): the panel is checked for
		// every value of each.
		const referenced = new Set();
		for (const p of description.properties) {
			for (const key of ['show', 'hide'])
				for (const name of Object.keys(p.displayOptions?.[key] ?? {})) referenced.add(name);
		}
		const text = JSON.stringify(description);
		for (const match of text.matchAll(/\$parameter(?:\[\\?["']([\w-]+)\\?["']\]|\.(\w+))/g))
			referenced.add(match[1] ?? match[2]);
		this.selectors = [
			...new Set(
				description.properties
					// A list loaded from the API (loadOptionsMethod) has no fixed values to step through.
					.filter((p) => p.type === 'options' && Array.isArray(p.options) && referenced.has(p.name))
					.map((p) => p.name),
			),
		];
	}

	/** A node object as the editor would hold it, with `parameters` filled from defaults. */
	node(values) {
		const node = {
			id: 'e2e',
			name: this.displayName,
			type: this.type,
			typeVersion: this.version,
			position: [0, 0],
			parameters: {},
		};
		node.parameters = this.helpers.getNodeParameters(
			this.description.properties,
			values,
			true,
			false,
			node,
			this.description,
		);
		return node;
	}

	/** The property named `name` of type options displayed for `values`, if any. */
	displayedOptions(name, values) {
		const node = this.node(values);
		return this.description.properties.find(
			(p) =>
				p.name === name &&
				p.type === 'options' &&
				this.helpers.displayParameter(node.parameters, p, node, this.description),
		);
	}

	/**
	 * The combinations to step through: every value of every selector (Resource, then the
	 * Operation shown for it, then any further dropdown that other parameters depend on).
	 * Each is `{ steps: [{ name, label, value, option }], values }`.
	 */
	combinations() {
		const out = [];
		const walk = (values, steps) => {
			const next = this.selectors.find(
				(name) => !(name in values) && this.displayedOptions(name, values),
			);
			if (!next) {
				out.push({ steps, values });
				return;
			}
			const property = this.displayedOptions(next, values);
			for (const option of property.options) {
				walk({ ...values, [next]: option.value }, [
					...steps,
					{
						name: next,
						label: property.displayName,
						value: option.value,
						option: option.name,
						action: option.action,
					},
				]);
			}
		};
		walk({}, []);
		return out;
	}

	/** The option names the editor should list in the `name` dropdown for `values`. */
	optionNames(name, values) {
		return this.displayedOptions(name, values)?.options.map((o) => o.name) ?? [];
	}

	/**
	 * Top-level parameters the panel must show for `values` (defaults for everything else), each
	 * with the children a collection or fixed collection offers.
	 */
	expectedParameters(values) {
		const node = this.node(values);
		const shown = this.description.properties.filter(
			(p) =>
				!NO_INPUT_TYPES.has(p.type) &&
				this.helpers.displayParameter(node.parameters, p, node, this.description),
		);
		return shown.map((p) => ({
			...describeField(p, node.parameters[p.name]),
			textOnly: TEXT_TYPES.has(p.type),
			children: childrenOf(p),
		}));
	}

	/** Whether a credential slot should be shown for `values`. */
	expectsCredentials(values) {
		const node = this.node(values);
		return (this.description.credentials ?? []).some((c) =>
			this.helpers.displayParameter(node.parameters, c, node, this.description),
		);
	}
}

/**
 * A parameter as the checks need it; for a fixed list of options, the option name the dropdown
 * must show for `value` (undefined when the value is none of the options).
 */
function describeField(p, value) {
	const field = { name: p.name, displayName: p.displayName, type: p.type };
	const dynamic = p.typeOptions?.loadOptionsMethod || p.typeOptions?.loadOptions;
	if (p.type === 'options' && !dynamic && !(typeof value === 'string' && value.startsWith('='))) {
		field.value = value;
		field.shows = (p.options ?? []).find((o) => o.value === value)?.name;
		field.names = (p.options ?? []).map((o) => o.name);
	}
	return field;
}

/**
 * What a collection's "Add …" control offers (children without displayOptions of their own,
 * which can be checked without knowing the collection's value), or a fixed collection's groups.
 */
function childrenOf(property) {
	if (property.type === 'collection') {
		return (property.options ?? [])
			.filter((o) => !o.displayOptions && !NO_INPUT_TYPES.has(o.type))
			.map((o) => describeField(o, o.default));
	}
	if (property.type === 'fixedCollection') {
		return (property.options ?? []).map((group) => ({
			name: group.name,
			displayName: group.displayName,
			values: (group.values ?? [])
				.filter((v) => !v.displayOptions && !NO_INPUT_TYPES.has(v.type))
				.map((v) => describeField(v, v.default)),
		}));
	}
	return undefined;
}
