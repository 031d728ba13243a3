// Fills the bench's D1 with clients shaped like issue 20's data, in set-based INSERT … SELECTs over
// a recursive CTE (tens of thousands of rows per statement): one phone each, 1.5 logs per client,
// 6 companies, created over the last 90 days. The relay's tables get the real schema's rows (its
// triggers fill the search index); the floor's bench_* tables the same clients, phones and logs.
import { webhookBody } from "./leads.mjs";

/** Rows per INSERT statement: large enough to be quick, small enough to report progress. */
const CHUNK_ROWS = 50_000;
export const FILL_COMPANIES = 6;
const DAYS = 90;
const FIRST_NAMES = [
	"Maya",
	"Omar",
	"Lina",
	"Rania",
	"Karim",
	"Sara",
	"Yousef",
	"Nadia",
	"Ali",
	"Hana",
	"Tariq",
	"Leila",
	"Samir",
	"Dina",
	"Fadi",
	"Reem",
	"James",
	"Olivia",
	"Noah",
	"Emma",
	"Liam",
	"Ava",
	"Lucas",
	"Mia",
	"Ethan",
	"Zara",
	"Adam",
	"Aisha",
	"Hamza",
	"Mariam",
	"Khalid",
	"Salma",
];
/** Surnames are three of these syllables, picked by the client's number: unique per client. */
const SYLLABLES = [
	"ka",
	"ri",
	"mo",
	"sa",
	"le",
	"na",
	"to",
	"bi",
	"ha",
	"du",
	"me",
	"zo",
	"fa",
	"qi",
	"ru",
	"ye",
	"la",
	"ni",
	"po",
	"se",
	"ta",
	"vi",
	"go",
	"ja",
	"wu",
	"ke",
	"da",
	"mi",
	"ro",
	"su",
	"bo",
	"ne",
];
const DOMAINS = ["example.com", "mail.example", "inbox.example", "corp.example", "web.example"];
const ANSWERS = JSON.stringify([
	{ name: "What treatment are you interested in?", values: ["Teeth whitening"] },
]);
/** A failed delivery keeps its raw body for a replay: one in 200 clients, as a TikTok delivery. */
const FAILURE_PAYLOAD = webhookBody(["7563000000000000001"]);

/** The client numbered `n` as the fill writes it (so the bench can search for it). */
export function filledClient(n) {
	const first = FIRST_NAMES[n % FIRST_NAMES.length];
	const rest = Math.floor(n / FIRST_NAMES.length);
	const last = [0, 1, 2]
		.map((i) => SYLLABLES[Math.floor(rest / SYLLABLES.length ** i) % SYLLABLES.length])
		.join("");
	const surname = last[0].toUpperCase() + last.slice(1);
	return {
		fullName: `${first} ${surname}`,
		phone: `+9715${String(n).padStart(8, "0")}`,
		/** The phone as an operator in the UAE types it. */
		localPhone: `05${String(n)
			.padStart(8, "0")
			.replace(/^(\d)(\d{3})(\d{4})$/, "$1 $2 $3")}`,
		externalId: `fill-${n}`,
	};
}

/** SQL for client `n`'s name, email and creation time inside the fill's CTE (n = seq.n). */
const sqlName = `json_extract(:first, '$[' || (n % ${FIRST_NAMES.length}) || ']') || ' ' ||
	upper(substr(json_extract(:syl, '$[' || ((n / ${FIRST_NAMES.length}) % ${SYLLABLES.length}) || ']'), 1, 1)) ||
	substr(json_extract(:syl, '$[' || ((n / ${FIRST_NAMES.length}) % ${SYLLABLES.length}) || ']'), 2) ||
	json_extract(:syl, '$[' || ((n / ${FIRST_NAMES.length * SYLLABLES.length}) % ${SYLLABLES.length}) || ']') ||
	json_extract(:syl, '$[' || ((n / ${FIRST_NAMES.length * SYLLABLES.length ** 2}) % ${SYLLABLES.length}) || ']')`;
const sqlEmail = `lower(replace(${sqlName}, ' ', '.')) || '@' ||
	json_extract(:domains, '$[' || (n % ${DOMAINS.length}) || ']')`;
/** Spread over the last 90 days in number order, the last client (n = :last) created now. */
const sqlCreated = `strftime('%Y-%m-%dT%H:%M:%fZ', julianday('now') - ${DAYS}.0 * (:last - n) / :last)`;
// CAST: D1 binds a JS number as REAL, and n must stay an integer (JSON paths, modulo).
const seq =
	"WITH RECURSIVE seq(n) AS (SELECT CAST(:from AS INTEGER) UNION ALL SELECT n + 1 FROM seq WHERE n < :to)";

/** The statements that write clients numbered from..to, for the relay's schema or the floor's. */
function chunkStatements(prefix, relay) {
	const t = (table) => `${prefix}${table}`;
	const account = relay
		? `(SELECT id FROM integration_accounts WHERE provider = 'tiktok' AND external_id = 'fill-' || (n % ${FILL_COMPANIES}))`
		: "1";
	const company = relay
		? `(SELECT company_id FROM integration_accounts WHERE provider = 'tiktok' AND external_id = 'fill-' || (n % ${FILL_COMPANIES}))`
		: `1 + n % ${FILL_COMPANIES}`;
	const clientOf = `(SELECT id FROM ${t("clients")} WHERE integration_account_id = ${account} AND external_id = 'fill-' || n)`;
	const logColumns = `company_id, provider, action, status, message, external_id, payload, request_id, created_at`;
	const statements = [
		`${seq} INSERT INTO ${t("clients")} (company_id, integration_account_id, source, external_id,
			full_name, email, answers, receipt_id, created_at)
		SELECT ${company}, ${account}, CASE n % 4 WHEN 0 THEN 'meta' ELSE 'tiktok' END, 'fill-' || n,
			${sqlName}, ${sqlEmail}, :answers, 'fill-receipt-' || n, ${sqlCreated} FROM seq`,
		`${seq} INSERT INTO ${t("client_phone_numbers")} (client_id, phone_number)
		SELECT ${clientOf}, '+9715' || printf('%08d', n) FROM seq`,
		// Every client's "created" log, a redelivery's "duplicate" log for every second client, and a
		// failure holding its payload for one in 200.
		`${seq} INSERT INTO ${t("integration_logs")} (${logColumns})
		SELECT ${company}, 'tiktok', 'tiktok_lead_received', 'success', 'client ' || n || ' created',
			'fill-' || n, NULL, 'fill-receipt-' || n, ${sqlCreated} FROM seq`,
		`${seq} INSERT INTO ${t("integration_logs")} (${logColumns})
		SELECT ${company}, 'tiktok', 'tiktok_lead_received',
			CASE WHEN n % 200 = 1 THEN 'failure' ELSE 'duplicate' END,
			CASE WHEN n % 200 = 1 THEN 'storage unavailable' ELSE 'duplicate of client ' || n END,
			'fill-' || n, CASE WHEN n % 200 = 1 THEN :payload END, 'fill-redelivery-' || n,
			${sqlCreated} FROM seq WHERE n % 2 = 1`,
	];
	// Clients of two companies out of six were forwarded to Salesforce (sent: nothing due for the cron).
	if (relay)
		statements.push(`${seq} INSERT INTO forwards (client_id, company_id, destination, status, attempts,
				remote_id, created_at)
			SELECT ${clientOf}, ${company}, 'salesforce', 'sent', 1, '00Q' || printf('%012d', n), ${sqlCreated}
			FROM seq WHERE n % ${FILL_COMPANIES} < 2`);
	return statements;
}

const named = (sql, values) => {
	const names = [];
	const text = sql.replace(/:(\w+)/g, (_, name) => {
		names.push(name);
		return "?";
	});
	return { text, params: names.map((name) => values[name]) };
};

/**
 * The relay's six companies (the bench company and five more, default country AE so local-format
 * phones normalise) and one TikTok account each, external id `fill-<slot>`. Idempotent.
 */
export async function prepareRelayFill(db, benchCompanyId) {
	await db
		.prepare("UPDATE companies SET default_country = 'AE' WHERE id = ?")
		.bind(benchCompanyId)
		.run();
	const { results } = await db.prepare("SELECT id FROM companies ORDER BY id").all();
	const ids = results.map((row) => row.id);
	for (let i = ids.length; i < FILL_COMPANIES; i++) {
		const row = await db
			.prepare("INSERT INTO companies (name, default_country) VALUES (?, 'AE') RETURNING id")
			.bind(`Fill Co ${i}`)
			.first();
		ids.push(row.id);
	}
	await db.batch(
		ids.slice(0, FILL_COMPANIES).map((companyId, slot) =>
			db
				.prepare(
					`INSERT INTO integration_accounts (company_id, provider, name, external_id)
					VALUES (?, 'tiktok', 'Fill advertiser', ?) ON CONFLICT DO NOTHING`,
				)
				.bind(companyId, `fill-${slot}`),
		),
	);
}

/**
 * Writes clients numbered from..to, spread over the last 90 days (the last one now), into the
 * relay's tables (`relay`) or the floor's bench_* tables. Returns the seconds it took.
 */
export async function fillClients(db, { from, to, relay }) {
	const started = performance.now();
	for (const chunk of fillChunks({ from, to, relay })) {
		await db.batch(chunk.map(({ text, params }) => db.prepare(text).bind(...params)));
	}
	// The search indexes as the search_index cron job keeps them (merged; src/jobs/search-index.ts),
	// not as one large segment per fill chunk that the first deliveries would have to merge.
	if (relay)
		for (const table of ["clients_search", "phones_search"])
			await db.prepare(`INSERT INTO ${table} (${table}) VALUES ('optimize')`).run();
	return (performance.now() - started) / 1000;
}

/** The fill's statements (SQL text and values), one array per chunk of CHUNK_ROWS clients. */
export function* fillChunks({ from, to, relay }) {
	const statements = chunkStatements(relay ? "" : "bench_", relay);
	for (let start = from; start <= to; start += CHUNK_ROWS) {
		const values = {
			from: start,
			to: Math.min(to, start + CHUNK_ROWS - 1),
			last: to,
			first: JSON.stringify(FIRST_NAMES),
			syl: JSON.stringify(SYLLABLES),
			domains: JSON.stringify(DOMAINS),
			answers: ANSWERS,
			payload: FAILURE_PAYLOAD,
		};
		yield statements.map((sql) => named(sql, values));
	}
}
