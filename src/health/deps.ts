// What the health job, the alert sender and backfill need from the Worker: the same deps as delivery
// (storage, config, an injectable fetch so tests fake the providers, the tail logger), since backfill
// forwards its new clients and the Salesforce check authenticates like a send.
import { deliverDeps } from "../forwarders/deliver";
import type { DeliverDeps } from "../forwarders/send-batch";

export type HealthDeps = DeliverDeps;

/** Deps from the Worker's bindings; fetch goes through globalThis at call time. */
export const healthDeps = deliverDeps;
