// A lead's notifications as the lead page shows them: what was told, to whom, on which channel, and
// where each stands (sent, retrying with its next try, failed or dead with the channel's error code).
import type { FC } from "hono/jsx";
import type { NotificationView } from "../../storage/notifications";
import { Badge, when } from "../layout";

const KIND_LABELS: Record<NotificationView["kind"], string> = {
	new_lead: "New lead",
	reassigned_to: "Reassigned to",
	reassigned_from: "Taken from",
	escalation: "Escalation",
	reminder: "Reminder",
	test: "Test",
};

const CHANNEL_LABELS: Record<NotificationView["channelKind"], string> = {
	email: "Email",
	slack: "Slack",
	webhook: "Webhook",
};

export const NotificationTable: FC<{ notifications: NotificationView[] }> = ({ notifications }) => (
	<div class="table-wrap">
		<table>
			<thead>
				<tr>
					<th scope="col">Told</th>
					<th scope="col">To</th>
					<th scope="col">Status</th>
					<th scope="col" class="hide-narrow">
						Last error
					</th>
					<th scope="col" class="num hide-narrow">
						Attempts
					</th>
					<th scope="col">When</th>
				</tr>
			</thead>
			<tbody>
				{notifications.map((row) => (
					<tr>
						<td data-label="Told">{KIND_LABELS[row.kind]}</td>
						<td data-label="To" dir="auto">
							{row.employeeName ?? "Manager"} · {CHANNEL_LABELS[row.channelKind]}
						</td>
						<td data-label="Status">
							<Badge status={row.status} />
						</td>
						<td data-label="Last error" class="hide-narrow">
							{row.lastErrorCode ?? ""}
						</td>
						<td data-label="Attempts" class="num hide-narrow">
							{row.attempts}
						</td>
						<td data-label="When">
							{row.status === "retry" && row.nextAttemptAt
								? `next try ${when(row.nextAttemptAt)}`
								: when(row.updatedAt ?? row.createdAt)}
						</td>
					</tr>
				))}
			</tbody>
		</table>
	</div>
);
