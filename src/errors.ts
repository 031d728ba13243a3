// The one error envelope `{ error: { code, message } }` and the request aborts the operator API and
// console throw (404 unknown id, 400 unknown referenced company, 409 conflict) as HTTPException, so the
// app's onError (src/http/on-error.ts) writes the envelope.
import { HTTPException } from "hono/http-exception";

const CODES: Partial<Record<number, string>> = {
	400: "bad_request",
	401: "unauthorized",
	403: "forbidden",
	404: "not_found",
	409: "conflict",
	413: "payload_too_large",
	503: "unavailable",
};

export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
	return { error: { code: CODES[status] ?? "internal_error", message, ...extra } };
}

export function notFound(what: string, id: number): HTTPException {
	return new HTTPException(404, { message: `${what} ${id} not found` });
}

/** The value, or a 404 naming what was not found. */
export function orNotFound<T>(value: T | undefined, what: string, id: number): T {
	if (value === undefined) throw notFound(what, id);
	return value;
}

/** 400 for a body that references a company that does not exist. */
export function unknownCompany(companyId: number): HTTPException {
	return new HTTPException(400, { message: `company_id ${companyId}: no such company` });
}

export function conflict(message: string): HTTPException {
	return new HTTPException(409, { message });
}
