import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { authorize, bareToken, tokenRefused, tokenUrlUnreachable } from '../nodes/shared/credentials';

/** The tenant's Keycloak token endpoint (the same identity host for every stage). */
function newStoreTokenUrl(credentials: ICredentialDataDecryptedObject): string {
	const override = String(credentials.tokenUrl ?? '').trim();
	if (override) return override;
	const tenant = encodeURIComponent(String(credentials.tenant ?? '').trim());
	return `https://id.p.newstore.net/auth/realms/${tenant}/protocol/openid-connect/token`;
}

/**
 * NewStore: an API client's OAuth2 client-credentials token from the tenant's identity
 * endpoint, or a bearer token managed elsewhere. The fetched token and its expiry are kept in
 * hidden fields: n8n fetches it once, stores it with the credential, and the node fetches a
 * new one shortly before it expires or once when NewStore refuses it as expired.
 */
export class NewStoreApi implements ICredentialType {
	name = 'newStoreApi';

	displayName = 'NewStore API';

	icon: Icon = { light: 'file:../icons/newstore.svg', dark: 'file:../icons/newstore.dark.svg' };

	documentationUrl = 'https://docs.newstore.net/developers/api-webhooks/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Tenant',
			name: 'tenant',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'acme',
			description: 'Your NewStore tenant, e.g. "acme" or "acme-staging" (the first part of https://acme.p.newstore.net)',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'string',
			default: 'p',
			description:
				'Stage in the host name: p = production (also used by tenants named like acme-staging), x = sandbox, s = staging',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Client Credentials',
					value: 'clientCredentials',
					description: 'An API client from Omnichannel Manager (Settings → Users & Roles → API clients)',
				},
				{
					name: 'Access Token',
					value: 'accessToken',
					description: 'A bearer token managed elsewhere, used as given and never refreshed',
				},
			],
			default: 'clientCredentials',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Role / Scope',
			name: 'scope',
			type: 'string',
			default: '',
			placeholder: 'customer:profile:read customer:profile:write',
			description:
				'Space-separated scopes to request; empty asks for all scopes of the API client (clients with "Support Legacy APIs" have none)',
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'API Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://acme.p.newstore.net',
			description: 'Only for sandboxes, proxies and tests: replaces https://{tenant}.{environment}.newstore.net',
		},
		{
			displayName: 'Token URL Override',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://id.p.newstore.net/auth/realms/acme/protocol/openid-connect/token',
			description: "Only for proxies and tests: replaces the tenant's token endpoint",
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Session Token Expires At',
			name: 'sessionExpiresAt',
			type: 'hidden',
			default: 0,
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		// A token managed elsewhere is used as given: nothing to fetch, nothing stored.
		if (credentials.authentication === 'accessToken') return {};
		const tokenUrl = newStoreTokenUrl(credentials);
		const form = new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: String(credentials.clientId ?? ''),
			client_secret: String(credentials.clientSecret ?? ''),
		});
		const scope = String(credentials.scope ?? '').trim();
		if (scope) form.set('scope', scope.split(/[\s,]+/).join(' '));
		const response = (await this.helpers
			.httpRequest({
				method: 'POST',
				url: tokenUrl,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
				body: form.toString(),
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})
			.catch((error) => {
				throw tokenUrlUnreachable('NewStore', tokenUrl, error, 'Check the Tenant and Token URL Override of the NewStore credential.');
			})) as { statusCode: number; headers?: Record<string, string>; body: unknown };
		let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
		try {
			body = typeof response.body === 'string' ? JSON.parse(response.body) : ((response.body ?? {}) as typeof body);
		} catch {
			body = {};
		}
		if (response.statusCode >= 300 || typeof body.access_token !== 'string') {
			throw tokenRefused(
				'NewStore',
				response,
				body,
				'Check the Tenant, Client ID, Client Secret and Role / Scope of the NewStore credential.',
				response.statusCode === 404 ? 'The tenant is not known to NewStore.' : '',
			);
		}
		const expiresIn = Number(body.expires_in);
		return {
			sessionToken: body.access_token,
			// Unknown lifetime: assume five minutes (the shortest seen), refresh early rather than late.
			sessionExpiresAt: Date.now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 300) * 1000,
		};
	}

	/** A function, not an expression: n8n would evaluate an expression for every request. */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) {
		const token = credentials.authentication === 'accessToken' ? bareToken(credentials.accessToken, 'Bearer') : String(credentials.sessionToken ?? '');
		return authorize(requestOptions, `Bearer ${token}`);
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://" + $credentials.tenant.trim() + "." + ($credentials.environment || "p").trim() + ".newstore.net" }}',
			url: '/api/v1/org/integrations/eventstream',
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'NewStore did not receive a token: check the Authentication settings' },
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'NewStore refused the token: it is invalid or expired, the API client may not read event stream integrations, or NewStore has blocked this IP address for about five minutes after too many requests',
				},
			},
		],
	};
}
