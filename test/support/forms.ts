// Website form submissions as browsers and scripts send them: JSON, urlencoded or multipart,
// through the whole Worker (with extra env when given), plus the task rows they create.
import { env } from "cloudflare:workers";
import { fetchWithEnv } from "./requests";

export const FORMS_PATH = "/api/integrations/webhooks/forms/";

export type Encoding = "json" | "urlencoded" | "multipart";

export interface FormPostOptions {
	encoding?: Encoding;
	query?: string;
	headers?: Record<string, string>;
	env?: Partial<Env>;
	path?: string;
}

export function formInit(
	fields: Record<string, string>,
	encoding: Encoding = "json",
	headers: Record<string, string> = {},
): RequestInit {
	if (encoding === "json") {
		return {
			method: "POST",
			headers: { "Content-Type": "application/json", ...headers },
			body: JSON.stringify(fields),
		};
	}
	if (encoding === "urlencoded") {
		return {
			method: "POST",
			headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
			body: new URLSearchParams(fields).toString(),
		};
	}
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	return { method: "POST", headers, body: form };
}

/** POSTs a form submission to company `companyId` (unsigned; no signing key is set by default). */
export function postForm(
	companyId: number | null,
	fields: Record<string, string>,
	options: FormPostOptions = {},
): Promise<Response> {
	const query = options.query ?? (companyId === null ? "" : `?company_id=${companyId}`);
	return fetchWithEnv(
		options.env ?? {},
		`${options.path ?? FORMS_PATH}${query}`,
		formInit(fields, options.encoding, options.headers),
	);
}

export interface TaskView {
	id: number;
	client_id: number;
	employee_id: number | null;
	due_at: string;
	status: string;
	note: string | null;
	created_at: string;
	completed_at: string | null;
}

export async function taskRows(clientId?: number): Promise<TaskView[]> {
	const { results } = await env.DB.prepare(
		"SELECT * FROM tasks WHERE (?1 IS NULL OR client_id = ?1) ORDER BY id",
	)
		.bind(clientId ?? null)
		.all<TaskView>();
	return results;
}
