import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/**
 * Pax8 partner API: OAuth2 client credentials with the documented JSON token request
 * (`POST /v1/token` with client_id, client_secret, audience, grant_type). The token is kept in
 * a hidden expirable field, so n8n fetches it once, stores it with the credential and fetches
 * a new one only when Pax8 answers 401.
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
			.catch((error: { code?: string; cause?: { code?: string }; message?: string }) => {
				// Only what went wrong goes on, in words: the request held the client secret.
				const code = error.code ?? error.cause?.code;
				const what =
					code === 'ECONNREFUSED'
						? 'the connection was refused'
						: code === 'ENOTFOUND' || code === 'EAI_AGAIN'
							? 'its host name is unknown'
							: code === 'ETIMEDOUT' || code === 'ECONNABORTED'
								? 'it did not answer in time'
								: 'no answer came';
				// `tokenRequest` tells the node's transport that the API request itself was never sent.
				throw Object.assign(new Error(`Could not reach the Pax8 token URL ${tokenUrl}: ${what}. Check the Token URL of the Pax8 credential.`), { tokenRequest: { code: code ?? 'no answer' } });
			})) as { statusCode: number; headers?: Record<string, string>; body: { access_token?: string; error?: string; error_description?: string } };
		const body = response.body ?? {};
		if (response.statusCode >= 300 || typeof body.access_token !== 'string') {
			// Only the vendor's words go into the message: the request carried the client secret.
			const reason = [body.error, body.error_description].filter(Boolean).join(': ');
			const error = new Error(
				`Pax8 did not issue an access token (HTTP ${response.statusCode}${reason ? `, ${reason}` : ''}). ` +
					(response.statusCode >= 500 || response.statusCode === 429
						? 'The token service is unavailable or busy: run the node again later.'
						: 'Check the Client ID, Client Secret, Audience and Token URL of the Pax8 credential.'),
			);
			const retryAfter = (response.headers ?? {})['retry-after'];
			throw Object.assign(error, { tokenRequest: { status: response.statusCode, retryAfter } });
		}
		return { accessToken: body.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/v1',
			url: '/companies',
			qs: { page: 0, size: 1 },
		},
	};
}
