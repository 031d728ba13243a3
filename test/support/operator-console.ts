// Drives the operator console (/console) like a browser: signs in with the admin token, keeps the
// session cookie, reads the CSRF token from a page and posts forms with the page's Origin.
import { exports } from "cloudflare:workers";
import { fetchWithEnv } from "./requests";
import { TEST_ADMIN_TOKEN } from "./secrets";

export const ORIGIN = "https://relay.test";

export interface Answer {
	status: number;
	location: string | null;
	html: string;
	headers: Headers;
}

async function answer(response: Response): Promise<Answer> {
	return {
		status: response.status,
		location: response.headers.get("Location"),
		html: await response.text(),
		headers: response.headers,
	};
}

/** A console request through the Worker; with `overrides`, through an app with those bindings. */
export function consoleFetch(
	path: string,
	init: RequestInit = {},
	overrides?: Partial<Env>,
): Promise<Response> {
	const request = { redirect: "manual" as const, ...init };
	if (overrides) return fetchWithEnv(overrides, `${ORIGIN}${path}`, request);
	return exports.default.fetch(`${ORIGIN}${path}`, request);
}

let clients = 0;

/**
 * A client address of its own for each form POST (the IPv6 documentation prefix 2001:db8::/32, only
 * ever a header), so the per-IP sign-in limit refuses only the tests that send one address on purpose.
 */
export function freshClientIp(): string {
	clients += 1;
	return `2001:db8::${clients.toString(16)}`;
}

/** A form POST as a browser sends it from a console page (same Origin). */
export function formInit(fields: Record<string, string>, headers: Record<string, string> = {}) {
	return {
		method: "POST",
		headers: {
			"Content-Type": "application/x-www-form-urlencoded",
			Origin: ORIGIN,
			"CF-Connecting-IP": freshClientIp(),
			...headers,
		},
		body: new URLSearchParams(fields).toString(),
	};
}

/** The `name=value` of the session cookie a sign-in answer sets. */
export function sessionCookie(response: Response | Answer): string {
	const header = response.headers.get("Set-Cookie") ?? "";
	const match = /(leadwire_console=[^;]+)/.exec(header);
	if (!match?.[1]) throw new Error(`no session cookie in: ${header}`);
	return match[1];
}

export async function signIn(token = TEST_ADMIN_TOKEN): Promise<string> {
	const response = await consoleFetch("/console/sign-in", formInit({ token, next: "/console" }));
	if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`);
	return sessionCookie(response);
}

/** A signed-in operator: GET pages and POST forms with the page's CSRF token. */
export class Operator {
	private constructor(
		readonly cookie: string,
		/** Bindings replaced for every request of this operator (e.g. a config var). */
		readonly overrides?: Partial<Env>,
	) {}

	static async signIn(overrides?: Partial<Env>): Promise<Operator> {
		return new Operator(await signIn(), overrides);
	}

	async get(path: string): Promise<Answer> {
		return answer(await consoleFetch(path, { headers: { Cookie: this.cookie } }, this.overrides));
	}

	/** The CSRF token of a console page. */
	async csrf(path = "/console"): Promise<string> {
		const page = await this.get(path);
		const match = /name="_csrf" value="([^"]+)"/.exec(page.html);
		if (!match?.[1]) throw new Error(`no CSRF token on ${path} (HTTP ${page.status})`);
		return match[1];
	}

	/** POSTs a form with the CSRF token (unless `csrf: null`). */
	async post(
		path: string,
		fields: Record<string, string>,
		options: { csrf?: string | null; headers?: Record<string, string> } = {},
	): Promise<Answer> {
		const token = options.csrf === undefined ? await this.csrf() : options.csrf;
		const body = token === null ? fields : { ...fields, _csrf: token };
		return answer(
			await consoleFetch(
				path,
				formInit(body, { Cookie: this.cookie, ...options.headers }),
				this.overrides,
			),
		);
	}

	/** Follows a 303 and returns the page it leads to (with its one-time notice). */
	async follow(result: Answer): Promise<Answer> {
		if (!result.location) throw new Error(`not a redirect: HTTP ${result.status}`);
		const flash = /(leadwire_flash=[^;]+)/.exec(result.headers.get("Set-Cookie") ?? "")?.[1];
		const cookie = flash ? `${this.cookie}; ${flash}` : this.cookie;
		return answer(
			await consoleFetch(
				new URL(result.location, ORIGIN).pathname + new URL(result.location, ORIGIN).search,
				{
					headers: { Cookie: cookie },
				},
			),
		);
	}
}

/** The text of an HTML page without tags, whitespace collapsed (what a reader sees). */
export function textOf(html: string): string {
	return html
		.replace(/<script[\s\S]*?<\/script>/g, "")
		.replace(/<[^>]+>/g, " ")
		.replace(/&amp;/g, "&")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/\s+/g, " ")
		.trim();
}
