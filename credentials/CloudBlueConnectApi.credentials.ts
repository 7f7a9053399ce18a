import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { authorize, bareToken } from '../nodes/shared/credentials';

/**
 * CloudBlue Connect: a static API token sent as `Authorization: ApiKey <id>:<secret>`. The key
 * is accepted with or without the `ApiKey ` prefix (the portal shows it without).
 */
export class CloudBlueConnectApi implements ICredentialType {
	name = 'cloudBlueConnectApi';

	displayName = 'CloudBlue Connect API';

	icon: Icon = { light: 'file:../icons/cloudblue.svg', dark: 'file:../icons/cloudblue.dark.svg' };

	documentationUrl = 'https://connect.cloudblue.com/community/modules/extensions/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Endpoint',
			name: 'endpoint',
			type: 'string',
			default: 'https://api.connect.cloudblue.com/public/v1',
			description: 'Base URL of the Connect public API of your instance',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'SU-000-000-000:0123456789abcdef…',
			description: 'A token from the Connect portal (Integrations → Tokens), with or without the "ApiKey " prefix',
		},
	];

	/** A function, not an expression: n8n would evaluate an expression for every request. */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) {
		return authorize(requestOptions, `ApiKey ${bareToken(credentials.apiKey, 'ApiKey')}`);
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.endpoint.replace(/\\/+$/, "")}}',
			url: '/accounts',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Connect refused the API key: check that it is complete (SU-…:…) and not revoked',
				},
			},
			{
				type: 'responseCode',
				properties: { value: 403, message: 'The API key lacks the permission to read accounts' },
			},
		],
	};
}
