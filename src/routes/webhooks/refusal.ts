// The one way a webhook route refuses a request it cannot trust (bad or missing signature, bad
// signed-URL `sig`): a tail line, a counter bump instead of a log row (storage/rejections.ts), 401.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../http/app-env";
import type { DeliveryKind } from "../../leads/lead";
import { countRejection } from "../../storage/rejections";

export async function refuseUntrusted(
	c: Context<AppEnv>,
	kind: DeliveryKind,
	reason: string,
): Promise<never> {
	const fields = { provider: kind.provider, action: kind.action };
	c.get("log").warn("delivery rejected", { ...fields, outcome: "failure", reason });
	const rejection = { ...fields, reason, requestId: c.get("requestId"), now: new Date() };
	// Best effort: a forged request must not turn into a 503 retry loop when D1 is down.
	await countRejection(c.get("db"), rejection).catch((error: unknown) =>
		c.get("log").warn("rejection not counted", { ...fields, error: String(error) }),
	);
	throw new HTTPException(401, { message: reason });
}
