// Sends one signed sample TikTok Subscription-API lead webhook to a running Leadwire relay,
// as the "send a test lead" step of the TikTok guide. Plain Node (>= 20), no dependencies.
// Usage: npm run send-test-lead -- [--url URL] [--secret S] [--company-id N] [--lead-id ID]
import { createHmac, randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs, parseEnv } from "node:util";

const WEBHOOK_PATH = "/api/integrations/webhooks/tiktok-leadgen/";
const DEFAULT_URL = "http://127.0.0.1:8787";
const DEFAULT_ADVERTISER_ID = "7398120456712340987";
const TIMEOUT_MS = 15_000;

const USAGE = `Usage: npm run send-test-lead -- [options]

Posts a signed sample TikTok lead webhook to ${WEBHOOK_PATH} and prints the answer.

Options:
  --url URL             relay base URL (default ${DEFAULT_URL}; a deployed https URL works too)
  --secret SECRET       TikTok app secret for X-Open-Signature (default: env TIKTOK_APP_SECRET,
                        else for a local URL the one in .dev.vars; none: sent unsigned)
  --company-id N        add ?company_id=N to the webhook URL
  --advertiser-id ID    advertiser_id of the sample lead (default ${DEFAULT_ADVERTISER_ID})
  --lead-id ID          lead id (up to 19 digits; default: a fresh random 19-digit id).
                        Send the same id twice to see the duplicate path.
  --help                show this help

Exit code 0 when the relay answers 200 with a created or duplicate lead, 1 otherwise.`;

main().catch((error) => {
	console.error(`error: ${error.message} (see --help)`);
	process.exitCode = 1;
});

async function main() {
	const options = readOptions(process.argv.slice(2));
	if (options.help) {
		console.log(USAGE);
		return;
	}
	const url = webhookUrl(options.url, options.companyId);
	const body = sampleWebhook(options.leadId, options.advertiserId);
	const headers = { "Content-Type": "application/json" };
	const { secret, from } = resolveSecret(options.secret, options.url);
	if (secret) {
		headers["X-Open-Signature"] = createHmac("sha256", secret).update(body).digest("hex");
		console.log(`Signing with the secret from ${from}.`);
	} else {
		console.log(
			"No secret (--secret, TIKTOK_APP_SECRET, .dev.vars): sending the webhook unsigned.",
		);
	}

	console.log(`POST ${url}`);
	console.log(`lead id ${options.leadId}, advertiser id ${options.advertiserId}`);
	const answer = await post(url, headers, body);
	if (!answer) return;
	console.log(`HTTP ${answer.status}`);
	console.log(answer.json ? JSON.stringify(answer.json, null, 2) : answer.text.slice(0, 1000));

	const hint = failureHint(answer, secret ? from : undefined);
	if (hint) {
		console.error(`FAILED: ${hint}`);
		process.exitCode = 1;
	} else {
		const outcome = answer.json.created >= 1 ? "created a new client" : "recognised a duplicate";
		console.log(`OK: the relay ${outcome}.`);
	}
}

/** Parses and checks the command line; throws with a readable message on bad input. */
function readOptions(argv) {
	const { values } = parseArgs({
		args: argv,
		options: {
			url: { type: "string", default: DEFAULT_URL },
			secret: { type: "string" },
			"company-id": { type: "string" },
			"advertiser-id": { type: "string", default: DEFAULT_ADVERTISER_ID },
			"lead-id": { type: "string" },
			help: { type: "boolean", default: false },
		},
		strict: true,
	});
	const options = {
		url: values.url,
		secret: values.secret,
		companyId: values["company-id"],
		advertiserId: values["advertiser-id"],
		leadId: values["lead-id"] ?? randomLeadId(),
		help: values.help,
	};
	if (options.help) return options;
	// Ids go into the JSON text as bare numbers, so they must be plain digits.
	if (!/^[1-9]\d{0,18}$/.test(options.leadId)) throw new Error("--lead-id must be 1-19 digits");
	if (!/^[1-9]\d{0,18}$/.test(options.advertiserId)) {
		throw new Error("--advertiser-id must be 1-19 digits");
	}
	if (options.companyId !== undefined && !/^[1-9]\d{0,14}$/.test(options.companyId)) {
		throw new Error("--company-id must be a positive integer");
	}
	return options;
}

/**
 * --secret wins (an empty one means unsigned), then env TIKTOK_APP_SECRET, then, for a relay on this
 * machine, TIKTOK_APP_SECRET from .dev.vars (what `npm run dev` serves with). Returns where it came from.
 */
function resolveSecret(flag, baseUrl) {
	if (flag !== undefined) return { secret: flag, from: "--secret" };
	const fromEnv = process.env.TIKTOK_APP_SECRET;
	if (fromEnv) return { secret: fromEnv, from: "env TIKTOK_APP_SECRET" };
	const { hostname } = new URL(baseUrl);
	if (!["127.0.0.1", "localhost", "[::1]"].includes(hostname)) return { secret: "" };
	try {
		const secret = parseEnv(readFileSync(".dev.vars", "utf8")).TIKTOK_APP_SECRET ?? "";
		return { secret, from: ".dev.vars" };
	} catch {
		return { secret: "" };
	}
}

/** A random 19-digit id starting with 7, like TikTok's lead ids (above 2^53, so never a safe double). */
function randomLeadId() {
	let digits = "7";
	for (let i = 0; i < 18; i++) digits += String(randomInt(10));
	return digits;
}

function webhookUrl(base, companyId) {
	const url = new URL(`${base.replace(/\/+$/, "")}${WEBHOOK_PATH}`);
	if (companyId !== undefined) url.searchParams.set("company_id", companyId);
	return url.href;
}

/**
 * The webhook body, built as text so the 19-digit ids stay bare JSON numbers (as TikTok sends
 * them) instead of being rounded by JSON.stringify. Only invented sample data.
 */
function sampleWebhook(leadId, advertiserId) {
	const changes = JSON.stringify([
		{ field: "name", value: "Test Lead" },
		{ field: "phone_number", value: "+971501234567" },
		{ field: "email", value: "test.lead@example.com" },
	]);
	const now = Math.floor(Date.now() / 1000);
	return (
		`{"object":1,"entry":[{"id":${leadId},"lead_source":"INSTANT_FORM",` +
		`"advertiser_id":${advertiserId},"page_id":7541102938475610231,` +
		`"create_time":${now},"changes":${changes}}],"time":${now}}`
	);
}

/** POSTs the body; returns { status, text, json } or undefined (after printing why) on a network error. */
async function post(url, headers, body) {
	let response;
	try {
		response = await fetch(url, {
			method: "POST",
			headers,
			body,
			signal: AbortSignal.timeout(TIMEOUT_MS),
		});
	} catch (error) {
		console.error(`FAILED: ${networkHint(error, url)}`);
		process.exitCode = 1;
		return undefined;
	}
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, text, json };
}

function networkHint(error, url) {
	const code = error?.cause?.code ?? error?.code ?? error?.name;
	if (code === "ECONNREFUSED") {
		return `connection refused at ${new URL(url).origin}: is the relay running? (npm run dev)`;
	}
	if (code === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000} s from ${url}`;
	if (code === "ENOTFOUND") return `host not found: ${new URL(url).hostname}`;
	return `request failed: ${error?.cause?.message ?? error?.message ?? String(error)}`;
}

/**
 * One line on what went wrong, or undefined when the lead was created or seen as a duplicate.
 * `signedWith` names where the secret came from (undefined: sent unsigned).
 */
function failureHint(answer, signedWith) {
	const json = answer.json;
	if (answer.status === 200 && json && (json.created >= 1 || json.duplicates >= 1))
		return undefined;
	switch (answer.status) {
		case 200:
			if (json?.outcome) return `the relay logged the delivery as ${json.outcome}: ${json.reason}`;
			return json?.failed >= 1
				? "the lead was logged as a failure (no company for it?): pass --company-id N or set TIKTOK_LEADGEN_COMPANY_ID"
				: "the relay answered 200 but recorded no lead";
		case 401:
			return signedWith
				? `signature rejected: the secret from ${signedWith} is not the relay's TIKTOK_APP_SECRET`
				: "the relay requires a signature: pass --secret or set TIKTOK_APP_SECRET";
		case 404:
			return "no such route: is --url the relay's base URL (without the webhook path)?";
		case 413:
			return "the relay rejected the body as too large (MAX_BODY_BYTES)";
		case 503:
			return "the relay could not write to D1 (storage unavailable); are the migrations applied?";
		default:
			return `unexpected HTTP ${answer.status}`;
	}
}
