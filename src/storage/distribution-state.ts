// What lead distribution decides on, as storage reads it: a company's ordered routing rules, its teams
// and its reps with their settings and counts (types only; leads/distribution.ts evaluates them and
// storage/distribution.ts reads and writes them).

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const ROUTING_METHODS = ["round_robin", "weighted_round_robin", "least_loaded"] as const;
export const LEAD_FIELDS = [
	"provider",
	"integration_account",
	"form_id",
	"campaign_name",
	"ad_set_name",
	"ad_name",
	"phone_country",
	"answer",
] as const;

export type Method = (typeof ROUTING_METHODS)[number];

/** Lead fields a condition can test (campaign, ad set and ad names come from the attribution). */
export type LeadField = (typeof LEAD_FIELDS)[number];

export type Condition =
	| { field: LeadField; question?: string; op: "equals" | "contains"; value: string }
	| { field: LeadField; question?: string; op: "one_of"; values: string[] }
	/** A weekly window in the company's time zone: these weekdays, from–to (past midnight if to < from). */
	| { field: "time"; op: "within"; days: Weekday[]; from: string; to: string };

export type Target =
	| { kind: "team"; teamId: number; method: Method }
	| { kind: "rep"; repId: number };

export type Fallback =
	| { kind: "next_rule" }
	| { kind: "rep"; repId: number }
	| { kind: "unassigned" };

export interface RoutingRule {
	id: number;
	name: string;
	conditions: Condition[];
	target: Target;
	fallback: Fallback;
	/** The rule's round-robin turn: how many turns its rotation has taken. */
	turn: number;
}

export interface Team {
	id: number;
	name: string;
	memberIds: number[];
}

/** Working hours per weekday ("09:00"–"17:30"); a weekday left out is a day off. */
export type WorkingHours = Partial<Record<Weekday, { from: string; to: string }>>;

export interface Rep {
	id: number;
	name: string;
	isActive: boolean;
	weight: number;
	dailyCap: number | null;
	weeklyCap: number | null;
	/** The rep's IANA zone; the company's when null. Their hours and their day for caps are in it. */
	timeZone: string | null;
	/** Null: any time. */
	hours: WorkingHours | null;
	/** ISO instant; the rep takes no lead before it. */
	awayUntil: string | null;
	/** Leads assigned per local day (YYYY-MM-DD in the rep's zone), this week's days at least. */
	leadsByDay: Record<string, number>;
	/** Open follow-up tasks: what "least loaded" compares. */
	openTasks: number;
}

export interface DistributionState {
	companyId: number;
	/** Moves on every change of any of this; the receipt's batch writes only while it is unchanged. */
	version: number;
	timeZone: string;
	/** The company default's turn (companies.assignment_counter): round robin over every active rep. */
	defaultTurn: number;
	rules: RoutingRule[];
	teams: Team[];
	/** Every rep of the company, active or not, by id. */
	reps: Rep[];
}
