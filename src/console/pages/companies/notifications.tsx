// The Notifications card of a company's page: its channels (a rep's email, Slack and signed webhook,
// and the manager channels), each with "Send a test notification" and a switch-off, "Add channel",
// and the speed-to-lead rules; and the POSTs behind them (src/operator/notifications.ts).
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { channelBody, slaSettingsBody } from "../../../http/schemas/notifications";
import { operatorContext } from "../../../operator/context";
import {
	addNotificationChannel,
	removeNotificationChannel,
	sendTestNotification,
	setSlaSettings,
} from "../../../operator/notifications";
import type { Employee } from "../../../storage/employees";
import type { ChannelRow, SlaSettings } from "../../../storage/notification-channels";
import { type ConsoleEnv, done } from "../../console-env";
import { actionErrors, check, numeric, pathId, textFields } from "../../forms";
import { Badge, Csrf, Empty, Field, FormErrors, Select } from "../../layout";
import {
	companyId,
	errorsOf,
	type FormState,
	type RenderCompanyPage,
	valuesOf,
} from "./company-route";

const KINDS = [
	{ value: "email", label: "Email" },
	{ value: "slack", label: "Slack (incoming webhook URL)" },
	{ value: "webhook", label: "Webhook (signed, Standard Webhooks)" },
];

const RULE_FIELDS = [
	{ name: "sla_minutes", label: "Reassign after (minutes, 0: never)" },
	{ name: "escalate_after", label: "Tell the manager after (reassignments)" },
	{ name: "reminder_hours", label: "Remind after (hours)" },
] as const;

export const Notifications: FC<{
	id: number;
	channels: ChannelRow[];
	reps: Employee[];
	rules: SlaSettings | undefined;
	csrf: string;
	state?: FormState;
}> = ({ id, channels, reps, rules, csrf, state }) => (
	<section class="card stack-narrow" aria-labelledby="notifications">
		<h2 id="notifications">Notifications</h2>
		{channels.length === 0 ? (
			<Empty>No channels: reps are not told of new leads.</Empty>
		) : (
			<ul>
				{channels.map((channel) => (
					<li class="actions">
						<span dir="auto">{channel.employeeName ?? "Manager"}</span>
						<span>{channel.kind}</span>
						<span class="muted" dir="auto">
							{channel.target}
						</span>
						{channel.isActive ? (
							<>
								<form method="post" action={`/console/companies/${id}/channels/${channel.id}/test`}>
									<Csrf token={csrf} />
									<button
										type="submit"
										aria-label={`Send a test notification to channel ${channel.id}`}
									>
										Send a test notification
									</button>
								</form>
								<form method="post" action={`/console/companies/${id}/channels/${channel.id}/off`}>
									<Csrf token={csrf} />
									<button type="submit" class="secondary">
										Switch off
									</button>
								</form>
							</>
						) : (
							<Badge status="inactive" />
						)}
					</li>
				))}
			</ul>
		)}
		<form class="inline" method="post" action={`/console/companies/${id}/channels`}>
			<Csrf token={csrf} />
			<FormErrors errors={errorsOf(state, "channel")} />
			<Select
				id="channel-owner"
				name="employee_id"
				label="For"
				value={valuesOf(state, "channel", {}).employee_id}
				options={[
					{ value: "", label: "Manager (escalations)" },
					...reps.map((rep) => ({ value: String(rep.id), label: rep.name })),
				]}
			/>
			<Select
				id="channel-kind"
				name="kind"
				label="Channel"
				value={valuesOf(state, "channel", {}).kind}
				options={KINDS}
				errors={errorsOf(state, "channel")}
			/>
			<Field
				id="channel-target"
				name="target"
				label="Address or URL"
				value={valuesOf(state, "channel", {}).target}
				errors={errorsOf(state, "channel")}
				required
			/>
			<button type="submit">Add channel</button>
		</form>
		<form class="inline" method="post" action={`/console/companies/${id}/notification-rules`}>
			<Csrf token={csrf} />
			<FormErrors errors={errorsOf(state, "rules")} />
			{RULE_FIELDS.map((field) => (
				<Field
					id={`rules-${field.name}`}
					name={field.name}
					label={field.label}
					type="number"
					value={valuesOf(state, "rules", rulesValues(rules))[field.name]}
					errors={errorsOf(state, "rules")}
				/>
			))}
			<button type="submit">{rules ? "Save rules" : "Turn on speed-to-lead rules"}</button>
		</form>
	</section>
);

function rulesValues(rules: SlaSettings | undefined): Record<string, string> {
	return rules
		? {
				sla_minutes: String(rules.slaMinutes),
				escalate_after: String(rules.escalateAfter),
				reminder_hours: String(rules.reminderHours),
			}
		: {};
}

export function notificationRoutes(companyPage: RenderCompanyPage) {
	return new Hono<ConsoleEnv>()
		.post("/:id/channels", async (c) => {
			const id = companyId(c);
			const values = textFields(await c.req.parseBody());
			const checked = check(channelBody, {
				employee_id: values.employee_id || null,
				kind: values.kind,
				target: values.target ?? "",
			});
			if (!checked.ok)
				return companyPage(c, id, { form: "channel", values, errors: checked.errors });
			try {
				const added = await addNotificationChannel(operatorContext(c), id, checked.data);
				const secret = added.secret ? ` Its signing secret (shown once): ${added.secret}` : "";
				return done(c, `/console/companies/${id}`, `Channel added.${secret}`);
			} catch (error) {
				return companyPage(c, id, { form: "channel", values, errors: actionErrors(error) });
			}
		})
		.post("/:id/channels/:channelId/test", async (c) => {
			const id = companyId(c);
			const result = await sendTestNotification(operatorContext(c), pathId(c, "channelId"));
			return result.sent
				? done(c, `/console/companies/${id}`, "Test notification sent.")
				: done(
						c,
						`/console/companies/${id}`,
						"Test notification not sent: see the channel's address and the Worker logs; it is retried.",
						"error",
					);
		})
		.post("/:id/channels/:channelId/off", async (c) => {
			const id = companyId(c);
			await removeNotificationChannel(operatorContext(c), pathId(c, "channelId"));
			return done(c, `/console/companies/${id}`, "Channel switched off.");
		})
		.post("/:id/notification-rules", async (c) => {
			const id = companyId(c);
			const values = textFields(await c.req.parseBody());
			const checked = check(slaSettingsBody, {
				sla_minutes: numeric(values.sla_minutes),
				escalate_after: numeric(values.escalate_after),
				reminder_hours: numeric(values.reminder_hours),
			});
			if (!checked.ok) return companyPage(c, id, { form: "rules", values, errors: checked.errors });
			await setSlaSettings(operatorContext(c), id, checked.data);
			return done(c, `/console/companies/${id}`, "Speed-to-lead rules saved.");
		});
}
