import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { authorize, tokenRefused, tokenUrlUnreachable } from '../nodes/shared/credentials';

/** Lifetime assumed when the token answer gives none: shorter than the documented 24 h, so it is renewed early rather than late. */
const FALLBACK_LIFETIME_SECONDS = 3600;

/**
 * Pax8 partner API: OAuth2 client credentials with the documented JSON token request
 * (`POST /v1/token` with client_id, client_secret, audience, grant_type). The token and its
 * expiry are kept in hidden fields: n8n fetches it once and stores it with the credential; the
 * node fetches a new one (one request at a time) a minute before it expires, or once when Pax8
 * refuses it with 401.
 */
export class Pax8Api implements ICredentialType {
	name = 'pax8Api';

	displayName = 'Pax8 API';

	icon: Icon = { light: 'file:../icons/pax8.svg', dark: 'file:../icons/pax8.dark.svg' };

	documentationUrl = 'https://devx.pax8.com/docs/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Created in Pax8 under Settings → Integrations → Credentials (Partner Admin only)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'string',
			default: 'https://api.pax8.com',
			description: 'Partner endpoints need https://api.pax8.com',
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: 'https://api.pax8.com/v1/token',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.pax8.com',
			description: 'Partner API is under /v1 and webhooks under /api/v2 of this URL',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Access Token Expires At',
			name: 'expiresAt',
			type: 'hidden',
			default: 0,
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const tokenUrl = String(credentials.tokenUrl || 'https://api.pax8.com/v1/token');
		const response = (await this.helpers
			.httpRequest({
				method: 'POST',
				url: tokenUrl,
				headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
				body: {
					client_id: credentials.clientId,
					client_secret: credentials.clientSecret,
					audience: credentials.audience || 'https://api.pax8.com',
					grant_type: 'client_credentials',
				},
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})
			.catch((error) => {
				throw tokenUrlUnreachable('Pax8', tokenUrl, error, 'Check the Token URL of the Pax8 credential.');
			})) as { statusCode: number; headers?: Record<string, string>; body: { access_token?: string; expires_in?: unknown; error?: string; error_description?: string } };
		const body = response.body ?? {};
		if (response.statusCode >= 300 || typeof body.access_token !== 'string') {
			throw tokenRefused('Pax8', response, body, 'Check the Client ID, Client Secret, Audience and Token URL of the Pax8 credential.');
		}
		// Pax8 documents `expires_in` 86400 (24 h).
		const expiresIn = Number(body.expires_in);
		return {
			accessToken: body.access_token,
			expiresAt: Date.now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : FALLBACK_LIFETIME_SECONDS) * 1000,
		};
	}

	/** A function, not an expression: n8n would evaluate an expression for every request. */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) {
		return authorize(requestOptions, `Bearer ${String(credentials.accessToken ?? '')}`);
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/v1',
			url: '/companies',
			qs: { page: 0, size: 1 },
		},
	};
}
