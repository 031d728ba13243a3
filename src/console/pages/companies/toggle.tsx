// The one-button switch of the reps list and the integration accounts table.
import type { FC } from "hono/jsx";
import { Csrf } from "../../layout";

/**
 * A one-button switch: posts the opposite of `on` in `field`. Deactivate/activate a rep or an
 * account (is_active); turn an account's daily backfill off/on (enabled), with its state shown.
 */
export const Toggle: FC<{
	action: string;
	csrf: string;
	field: "is_active" | "enabled";
	on: boolean;
	name: string;
}> = ({ action, csrf, field, on, name }) => {
	const backfill = field === "enabled";
	const verb = backfill ? (on ? "Turn off" : "Turn on") : on ? "Deactivate" : "Activate";
	return (
		<form method="post" action={action}>
			<Csrf token={csrf} />
			<input type="hidden" name={field} value={on ? "false" : "true"} />
			{backfill ? <span class="muted">{on ? "on " : "off "}</span> : null}
			<button
				type="submit"
				class="secondary"
				aria-label={`${verb} ${backfill ? "daily backfill for " : ""}${name}`}
			>
				{verb}
			</button>
		</form>
	);
};
