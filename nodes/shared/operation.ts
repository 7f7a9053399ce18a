import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { CollectOptions } from './pagination';
import type { Params } from './params';
import type { Transport } from './transport';
import type { ApiRequest, ApiResponse } from './types';

/** What a custom operation gets to work with. */
export interface OperationContext {
	ctx: IExecuteFunctions;
	params: Params;
	transport: Transport;
	itemIndex: number;
	item: INodeExecutionData;
	/** Sends one request; 2xx answers only (everything else throws). */
	send(request: ApiRequest): Promise<ApiResponse>;
	/** Fetches a listing honouring the operation's Return All / Limit. */
	list(request: ApiRequest, options?: Partial<CollectOptions>): Promise<IDataObject[]>;
}

export type OperationResult = IDataObject | IDataObject[] | INodeExecutionData[];

/**
 * One operation as data: its parameters and how they map to the request. The shared
 * executor validates, sends, paginates, simplifies and pairs the output.
 */
export interface Operation {
	/** Parameter value, e.g. `getAll`. */
	value: string;
	/** Shown name, e.g. `Get Many`. */
	name: string;
	/** Action text, e.g. `Get many companies`. */
	action: string;
	description?: string;
	/** Parameters of this operation (display options are added for you). */
	properties?: INodeProperties[];
	/** The request, built from checked parameters. */
	request?: (p: Params) => ApiRequest;
	/** The request lists records page by page: adds Return All / Limit. */
	paginate?: boolean;
	/** The largest page this endpoint allows, when below the vendor's. */
	maxPageSize?: number;
	/** The API answers the whole list at once: Return All / Limit are applied to it here. */
	clientLimit?: boolean;
	/** The answer wraps its records in this key, one output item each (not paginated). */
	itemsKey?: string;
	/** Fields kept by Simplify (adds the Simplify parameter), or a function doing it. */
	simplify?: string[] | ((record: IDataObject) => IDataObject);
	/** Output for an answer with no body (204). Default `{ success: true }`. */
	empty?: (p: Params) => IDataObject;
	/** Reshapes a record before output (e.g. tolerant field names). */
	normalize?: (record: IDataObject) => IDataObject;
	/** Fully custom behaviour, for operations that are more than one request. */
	run?: (c: OperationContext) => Promise<OperationResult>;
	/**
	 * Custom behaviour over all input items at once (N items → one result, e.g. one usage file
	 * from many records). The context is that of item 0; output is paired with every input.
	 */
	runAll?: (c: OperationContext, items: INodeExecutionData[]) => Promise<OperationResult>;
}

export interface Resource {
	value: string;
	name: string;
	description?: string;
	/** Parameters every operation of the resource shows, right after Operation (e.g. API Version). */
	properties?: INodeProperties[];
	operations: Operation[];
}

export const op = (operation: Operation): Operation => operation;
