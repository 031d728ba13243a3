// Cron Trigger entry. Forward retries (Salesforce, Meta Graph) will run from here; for now it only
// reports that it ran, so `wrangler tail` shows the trigger is wired.
import { createLogger } from "../log";

export async function runScheduled(controller: ScheduledController, _env: Env): Promise<void> {
	createLogger({ action: "cron" }).info("cron tick", { outcome: controller.cron });
}
