// The operator API's request aborts (404 unknown id, 400 unknown referenced company, 409 conflict);
// thrown as HTTPException so app.onError writes the envelope.
import { HTTPException } from "hono/http-exception";

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
