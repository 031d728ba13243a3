// The house rules (docs/architecture.md, "Layers"), checked by `npm run lint`: imports point down the
// layers, never sideways between sibling rooms, never in a cycle; drizzle-orm lives in storage/ alone;
// provider adapters stay pure. (No `fetch` in providers/ is a Biome rule: fetch is a global, not an import.)

/** Top to ground. A room may import its own files and any room of a lower layer. */
const LAYERS = [
	{ layer: "entry", rooms: ["src/index.ts", "src/app.ts"] },
	{ layer: "faces", rooms: ["src/console/", "src/routes/"] },
	{ layer: "operator", rooms: ["src/operator/"] },
	{ layer: "http", rooms: ["src/http/"] },
	{ layer: "jobs", rooms: ["src/jobs/"] },
	{ layer: "monitor", rooms: ["src/backfill/", "src/health/"] },
	{ layer: "intake", rooms: ["src/intake/"] },
	{ layer: "outbound", rooms: ["src/enrichers/", "src/forwarders/", "src/notifiers/"] },
	{ layer: "providers", rooms: ["src/providers/"] },
	{ layer: "leads", rooms: ["src/leads/"] },
	{ layer: "storage", rooms: ["src/storage/"] },
	{
		layer: "ground",
		rooms: [
			"src/config.ts",
			"src/log.ts",
			"src/errors.ts",
			"src/backoff.ts",
			"src/timed-call.ts",
			"src/security/",
		],
	},
];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** One path pattern for a list of rooms: a folder matches what is under it, a file matches itself. */
const pattern = (rooms) =>
	`^(${rooms.map((room) => escapeRegExp(room) + (room.endsWith("/") ? "" : "$")).join("|")})`;

const upwards = LAYERS.slice(1).map(({ layer, rooms }, below) => ({
	name: `no-upward-from-${layer}`,
	comment: `${rooms.join(", ")} may only import rooms below the ${layer} layer (docs/architecture.md)`,
	severity: "error",
	from: { path: pattern(rooms) },
	to: { path: pattern(LAYERS.slice(0, below + 1).flatMap((l) => l.rooms)) },
}));

const sideways = LAYERS.flatMap(({ layer, rooms }) =>
	rooms.length < 2 || layer === "ground" || layer === "entry"
		? []
		: rooms.map((room) => ({
				name: `no-sideways-from-${room.replace(/^src\/|\/$/g, "")}`,
				comment: `${room} and the other rooms of the ${layer} layer are siblings: neither imports the other`,
				severity: "error",
				from: { path: pattern([room]) },
				to: { path: pattern(rooms.filter((other) => other !== room)) },
			})),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: "no-circular",
			comment: "an import cycle: move the shared part (often a type) into a file both can import",
			severity: "error",
			from: {},
			to: { circular: true },
		},
		{
			name: "in-a-room",
			comment: "every file under src/ belongs to a room of the layer map in this file",
			severity: "error",
			from: { path: "^src/", pathNot: pattern(LAYERS.flatMap((l) => l.rooms)) },
			to: {},
		},
		{
			name: "drizzle-only-in-storage",
			comment: "storage/ is the one room that imports drizzle-orm and touches D1/KV",
			severity: "error",
			from: { path: "^src/", pathNot: "^src/storage/" },
			to: { path: "(^|/)node_modules/drizzle-orm/" },
		},
		{
			name: "providers-are-pure",
			comment:
				"provider adapters verify and parse only: no storage, enrichers, forwarders, notifiers or outbound calls",
			severity: "error",
			from: { path: "^src/providers/" },
			to: { path: "^src/(storage|enrichers|forwarders|notifiers)/|^src/timed-call\\.ts$" },
		},
		...upwards,
		...sideways,
	],
	options: {
		doNotFollow: { path: "node_modules" },
		// Type-only imports count: a type import against the layers is still an arrow pointing up.
		tsPreCompilationDeps: true,
		tsConfig: { fileName: "tsconfig.json" },
		enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs"] },
	},
};
