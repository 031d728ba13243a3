// /l/:token — a notification's one-click links, used without signing in. GET never acts (mail
// scanners and chat unfurlers fetch links): it shows what the link does and a button that POSTs;
// the POST acts once (runLinkAction). Invalid, expired or used links get a plain page saying so.
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { AppEnv } from "../http/app-env";
import { type ActionResult, runLinkAction, wasLinkUsed } from "../intake/lead-actions";
import { notifyDeps, notifyInBackground } from "../notifiers/deliver";
import { actionLinkKey, type LinkCheck, verifyActionLink } from "../security/action-links";

type LinkContext = Context<AppEnv>;

const CONFIRM_TEXT = {
	contacted: { title: "Mark this lead as contacted?", button: "Yes, I contacted this lead" },
	not_mine: { title: "Give this lead to another rep?", button: "Yes, it is not mine" },
} as const;

export const actionLinkRoutes = new Hono<AppEnv>()
	.get("/:token", async (c) => {
		const check = await checkLink(c);
		if (!check.ok) return refused(c, check.reason);
		if (await wasLinkUsed(c.get("db"), check.nonce)) return answer(c, { outcome: "already_used" });
		const text = CONFIRM_TEXT[check.link.action];
		return page(
			c,
			200,
			text.title,
			html`<p>Lead #${check.link.clientId}.</p>
				<form method="post"><button type="submit">${text.button}</button></form>`,
		);
	})
	.post("/:token", async (c) => {
		const check = await checkLink(c);
		if (!check.ok) return refused(c, check.reason);
		const result = await runLinkAction(c.get("db"), check.link, check.nonce, new Date());
		c.get("log").info("action link used", {
			action: `link_${check.link.action}`,
			clientId: check.link.clientId,
			outcome: result.outcome,
		});
		// "Not mine" told both reps (and maybe the manager): sent now, the cron otherwise.
		if (result.outcome === "done") {
			const deps = notifyDeps(c.env, c.get("config"), c.get("log"));
			notifyInBackground(c.executionCtx, deps, [check.link.clientId]);
		}
		return answer(c, result);
	});

async function checkLink(c: LinkContext): Promise<LinkCheck> {
	const key = c.get("config").encryptionKey;
	if (!key) return { ok: false, reason: "invalid" };
	return verifyActionLink(await actionLinkKey(key), c.req.param("token") ?? "", new Date());
}

function refused(c: LinkContext, reason: "invalid" | "expired"): Response | Promise<Response> {
	return reason === "expired"
		? page(c, 410, "This link has expired", html`<p>Open the lead in the console instead.</p>`)
		: page(
				c,
				404,
				"This link is not valid",
				html`<p>It may have been cut short; copy it whole.</p>`,
			);
}

function answer(c: LinkContext, result: ActionResult): Response | Promise<Response> {
	switch (result.outcome) {
		case "done":
			return result.action === "contacted"
				? page(c, 200, "Marked as contacted", html`<p>Thank you: the lead's follow-up is done.</p>`)
				: page(c, 200, "Lead handed on", html`<p>The lead went to another rep.</p>`);
		case "already_used":
			return page(c, 409, "This link was already used", html`<p>Nothing was changed.</p>`);
		case "not_yours":
			return page(c, 409, "This lead is no longer yours", html`<p>Nothing was changed.</p>`);
		case "nobody_else":
			return page(c, 409, "No other rep can take this lead", html`<p>It stays with you.</p>`);
		case "unknown_lead":
			return page(c, 404, "This lead no longer exists", html``);
	}
}

function page(
	c: LinkContext,
	status: 200 | 404 | 409 | 410,
	title: string,
	body: HtmlEscapedString | Promise<HtmlEscapedString>,
): Response | Promise<Response> {
	c.header("Cache-Control", "no-store");
	c.header("Referrer-Policy", "no-referrer");
	c.header("X-Robots-Tag", "noindex");
	return c.html(
		html`<!doctype html>
			<html lang="en">
				<head>
					<meta charset="utf-8" />
					<meta name="viewport" content="width=device-width, initial-scale=1" />
					<title>${title} · Leadwire</title>
					<style>
						body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; }
						button { font: inherit; padding: 0.6rem 1rem; }
					</style>
				</head>
				<body>
					<h1>${title}</h1>
					${body}
				</body>
			</html>`,
		status,
	);
}
