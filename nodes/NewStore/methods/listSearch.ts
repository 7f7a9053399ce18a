import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { Transport } from '../../shared/transport';
import { EVENT_STREAM_PATH } from '../resources/eventStream';
import { PROFILE_VERSIONS } from '../resources/customerProfile';
import { NEWSTORE } from '../vendor';

const PAGE_SIZE = 100;

/** Profiles matching the typed text (NewStore's own partial search), a page at a time. */
export async function searchProfiles(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const version = String(this.getCurrentNodeParameter('apiVersion') ?? '2.0.0');
	const fallback = PROFILE_VERSIONS.find((v) => v.value === version)?.path ?? PROFILE_VERSIONS[0].path;
	const path = String(this.getCurrentNodeParameter('profilesPath') || fallback).replace(/\/+$/, '');
	const offset = Number(paginationToken ?? 0) || 0;
	const transport = await Transport.for(this, NEWSTORE, { maxRetries: 1 });
	const qs: IDataObject = { offset, count: PAGE_SIZE, sort: 'updated_at|desc' };
	if (filter?.trim()) qs.q = filter.trim();
	const body = ((await transport.request({ method: 'GET', path, qs })).body ?? {}) as IDataObject;
	const profiles = (Array.isArray(body.profiles) ? body.profiles : []) as IDataObject[];
	const total = Number(((body.pagination_info ?? {}) as IDataObject).total ?? 0);
	const next = offset + profiles.length;
	return {
		results: profiles.map((profile) => {
			const name = String(profile.full_name || [profile.first_name, profile.last_name].filter(Boolean).join(' ') || '');
			return { name: name ? `${name} <${profile.email}>` : String(profile.email ?? profile.id), value: String(profile.id) };
		}),
		paginationToken: profiles.length && next < total && next < 10_000 ? String(next) : undefined,
	};
}

/** Event stream integrations, filtered by the typed text. */
export async function searchIntegrations(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const transport = await Transport.for(this, NEWSTORE, { maxRetries: 1 });
	const body = ((await transport.request({ method: 'GET', path: EVENT_STREAM_PATH })).body ?? {}) as IDataObject;
	const needle = filter?.trim().toLowerCase();
	const integrations = (Array.isArray(body.integrations) ? body.integrations : []) as IDataObject[];
	return {
		results: integrations
			.map((integration) => ({ name: `${integration.id} (${integration.status ?? 'unknown'})`, value: String(integration.id) }))
			.filter((result) => !needle || result.name.toLowerCase().includes(needle)),
	};
}
