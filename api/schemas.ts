/**
 * TypeBox schemas shared by the routes: request validation and the OpenAPI document come from the
 * same definitions. Response schemas describe the documented shape; ranking pages are sent as
 * pre-serialised strings (cached per snapshot), which Fastify passes through unchanged.
 */
import { type TSchema, Type } from 'typebox';

/** Same rule as the store: 1-64 of [A-Za-z0-9._-], no leading dot (so never `.` or `..`). */
export const DatasetName = Type.String({ pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$', description: 'dataset name' });

export const ErrorBody = Type.Object({
  code: Type.String({ description: 'stable error code (docs/errors.md)' }),
  message: Type.String(),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
  file: Type.Optional(Type.String()),
  details: Type.Optional(Type.Object({}, { additionalProperties: true })),
}, { $id: 'Error' });

export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('Error')]));

export const IdParams = Type.Object({ id: DatasetName });

export const DatasetInfo = Type.Object({
  id: Type.String(),
  name: Type.String(),
  directed: Type.Boolean(),
  created: Type.Optional(Type.String()),
  versions: Type.Array(Type.Object({}, { additionalProperties: true })),
  latest: Type.Union([Type.Integer(), Type.Null()]),
  nodes: Type.Number(),
  edges: Type.Number(),
  timeSpan: Type.Optional(Type.Unknown()),
  types: Type.Optional(Type.Unknown()),
  snapshot: Type.Union([Type.Integer(), Type.Null()], { description: 'latest analysis snapshot id' }),
}, { additionalProperties: true });

export const CreateDataset = Type.Object({
  name: DatasetName,
  directed: Type.Optional(Type.Boolean({ default: true })),
}, { additionalProperties: false });

export const IngestQuery = Type.Object({
  columns: Type.Optional(Type.String({ description: 'column names for headerless files, e.g. source,target,timestamp' })),
  skipBad: Type.Optional(Type.Boolean({ description: 'skip malformed rows instead of rejecting the upload (default false: strict)' })),
  timeUnit: Type.Optional(Type.Union([Type.Literal('s'), Type.Literal('ms')])),
  mode: Type.Optional(Type.Union([Type.Literal('append'), Type.Literal('replace')], {
    default: 'append', description: 'append: the new version adds this file to the previous one; replace: it holds only this file (earlier versions stay readable)',
  })),
});

export const IngestResponse = Type.Object({
  dataset: Type.String(),
  version: Type.Integer(),
  edges: Type.Integer({ description: 'rows stored by this upload' }),
  skipped: Type.Integer(),
  nodes: Type.Number(),
  format: Type.String(),
  mode: Type.Optional(Type.Union([Type.Literal('append'), Type.Literal('replace')])),
});

export const JobRequest = Type.Object({
  measures: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32, description: 'extra catalogue measures' })),
  window: Type.Optional(Type.String({ maxLength: 32, description: 'last DURATION of interactions, e.g. 30d' })),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'only interactions at or after this time (ISO 8601 or Unix seconds), as --from' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'only interactions before this time, as --to' })),
  types: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 256 })),
  typeWeights: Type.Optional(Type.Record(Type.String({ maxLength: 128 }), Type.Number({ minimum: 0, maximum: 1e6 }), {
    maxProperties: 256, description: 'weight per interaction type, e.g. {"forward": 3, "reply": 2, "mention": 1}, as --type-weights',
  })),
  undirected: Type.Optional(Type.Boolean({ description: 'rank the undirected view (rows as undirected pairs), as --undirected' })),
  resolution: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'modularity resolution of the communities (default 1)' })),
  publish: Type.Optional(Type.Union([Type.Literal('latest'), Type.Literal('none')], {
    description: 'latest (default): the result becomes what the ranking routes serve; none: a one-off, read with ?snapshot=N (a 7-day look does not replace the 30-day ranking a dashboard shows)',
  })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  failForTest: Type.Optional(Type.String({ maxLength: 200, description: 'test hook; honoured only with testHooks on' })),
}, { additionalProperties: false });

export const SeedsBody = Type.Object({
  k: Type.Integer({ minimum: 1, maximum: 10_000 }),
  model: Type.Union([Type.Literal('ic'), Type.Literal('wc'), Type.Literal('lt')], { default: 'wc' }),
  p: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  epsilon: Type.Optional(Type.Number({ minimum: 0.01, maximum: 1 })),
}, { additionalProperties: false });

export const JobAccepted = Type.Object({ jobId: Type.String(), state: Type.String(), location: Type.String() });

export const JobView = Type.Object({
  id: Type.String(),
  dataset: Type.String(),
  kind: Type.String(),
  state: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled')]),
  progress: Type.Number(),
  created: Type.String(),
  started: Type.Union([Type.String(), Type.Null()]),
  finished: Type.Union([Type.String(), Type.Null()]),
  snapshot: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  request: Type.Object({}, { additionalProperties: true }),
});

export const JobParams = Type.Object({ jobId: Type.String({ maxLength: 64 }) });

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  community: Type.Optional(Type.Integer({ minimum: -1 })),
  sort: Type.Optional(Type.String({ maxLength: 64, description: 'rank (default), score, or a measure name' })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  role: Type.Optional(Type.String({ maxLength: 64 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('arrow')], {
    description: 'json (a page), or csv / arrow (Arrow IPC stream): the whole ranking streamed, flat columns; limit/offset page it only when given',
  })),
  snapshot: Type.Optional(Type.Integer({ minimum: 1, description: 'read this snapshot instead of the latest' })),
});

export const PageResponse = Type.Object({
  dataset: Type.String(),
  snapshot: Type.Integer(),
  datasetVersion: Type.Union([Type.Integer(), Type.Null()]),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  items: Type.Array(Type.Object({}, { additionalProperties: true })),
});

export const SnapshotQuery = Type.Object({
  snapshot: Type.Optional(Type.Integer({ minimum: 1 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
});

export const KeyBody = Type.Object({
  scope: Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]),
  name: Type.String({ minLength: 1, maxLength: 64 }),
  rateLimit: Type.Optional(Type.Integer({ minimum: 1, description: 'requests per minute' })),
}, { additionalProperties: false });

/** graphology's serialisation (`graph.export()`, https://graphology.github.io/serialization.html). */
export const GraphologyGraph = Type.Object({
  attributes: Type.Object({}, { additionalProperties: true, description: 'graph attributes: kind, dataset, snapshot, what the caps left out' }),
  options: Type.Object({ type: Type.String(), multi: Type.Boolean(), allowSelfLoops: Type.Boolean() }),
  nodes: Type.Array(Type.Object({
    key: Type.String({ description: 'member id (community id in the super-graph)' }),
    attributes: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'label, rank, score, community and every measure' })),
  })),
  edges: Type.Array(Type.Object({
    key: Type.Optional(Type.String()),
    source: Type.String(),
    target: Type.String(),
    undirected: Type.Optional(Type.Boolean()),
    attributes: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'weight, count' })),
  })),
});

// ---------------------------------------------------------------------------------------------
// Typed responses (OpenAPI): what each ranking item and profile holds. Bodies are sent as
// pre-serialised bytes, so these describe the contract without filtering what goes out; every
// object allows further properties (a new measure or field is not a breaking change).

const Num = Type.Number();
const NullableNum = Type.Union([Type.Number(), Type.Null()]);

export const Explanation = Type.Object({
  components: Type.Array(Type.Object({
    name: Type.String({ description: 'component and its measure, e.g. "influence (pagerank)"' }),
    value: NullableNum, percentile: Num, share: Type.Number({ description: 'share of the score' }),
  })),
  sentence: Type.String({ description: 'why this member ranks here, in one sentence' }),
});

export const SupernodeItem = Type.Object({
  id: Type.String({ description: 'member id' }),
  label: Type.Optional(Type.String({ description: 'member name, when the dataset was ingested with --labels (absent for ids without one)' })),
  rank: Type.Integer({ minimum: 1 }),
  score: Type.Number({ description: 'super-node score in [0, 1]' }),
  community: Type.Integer(),
  measures: Type.Record(Type.String(), NullableNum, { description: 'every measure of the analysis by name (pagerank, kcore, reach, betweenness, ...)' }),
  explanation: Explanation,
});

export const CommunityItem = Type.Object({
  id: Type.Integer(), size: Type.Integer(), internalWeight: Num, externalWeight: Num, density: Num, conductance: Num,
  lifecycle: Type.Union([Type.Literal('growing'), Type.Literal('active'), Type.Literal('cooling'), Type.Literal('dormant'), Type.Literal('unknown')]),
  topMembers: Type.Array(Type.String()),
  activity: Type.Array(Type.Object({ weekStart: Type.Union([Type.String(), Type.Number()], { description: 'ISO 8601 week start' }), interactions: Num })),
});
export const FlowItem = Type.Object({ from: Type.Integer(), to: Type.Integer(), weight: Num });
export const LeaderItem = Type.Object({
  id: Type.String(), rank: Type.Integer(), score: Num, community: Type.Integer(),
  senders: Type.Optional(Type.Integer({ description: 'distinct members of the community acting towards the leader' })),
  share: Type.Optional(Num), why: Type.Optional(Type.String({ description: 'why, in plain counts' })),
});
export const BrokerItem = Type.Object({
  id: Type.String(), rank: Type.Integer(), constraint: NullableNum, effectiveSize: NullableNum, betweenness: NullableNum,
  communitiesLinked: Type.Array(Type.Integer()),
});
export const RoleItem = Type.Object({ id: Type.String(), community: Type.Integer(), role: Type.String(), z: Num, participation: Num });
export const RisingItem = Type.Object({
  id: Type.String(), rankBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'null for a new member' }), rankNow: Type.Integer(), gain: Num,
  status: Type.Optional(Type.Union([Type.Literal('new'), Type.Literal('rising')], { description: 'new: no interaction in the earlier window' })),
  scoreBefore: Type.Optional(Num), scoreNow: Type.Optional(Num),
  activityBefore: Type.Optional(Num), activityNow: Type.Optional(Num),
});

const SnapshotHead = {
  dataset: Type.String(),
  snapshot: Type.Integer({ description: 'the snapshot this answer comes from (also the X-Snapshot header)' }),
  datasetVersion: Type.Union([Type.Integer(), Type.Null()]),
};

export const MemberProfile = Type.Object({
  ...SnapshotHead,
  member: Type.Intersect([SupernodeItem, Type.Object({ percentile: Num })]),
  community: Type.Union([CommunityItem, Type.Null()]),
  role: Type.Union([RoleItem, Type.Null()]),
  broker: Type.Union([BrokerItem, Type.Null()]),
  rising: Type.Union([RisingItem, Type.Null()]),
  leaderOf: Type.Array(Type.Integer()),
  trajectory: Type.Union([Type.Null(), Type.Object({
    measure: Type.String(),
    windows: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), interactions: Num, rank: Type.Union([Type.Integer(), Type.Null()]), score: NullableNum })),
  })]),
});

export const SeedsResponse = Type.Object({
  ...SnapshotHead,
  k: Type.Integer(), model: Type.String(), p: NullableNum,
  seeds: Type.Array(Type.Object({ id: Type.String(), order: Type.Integer({ description: 'order of choice, 1 first' }) })),
  spread: Type.Union([Type.Null(), Type.Object({ mean: Num, ci95: Type.Array(Num, { minItems: 2, maxItems: 2 }), runs: Type.Integer() })]),
  diagnostics: Type.Object({}, { additionalProperties: true }),
});

/** A page of `item`s (JSON), or the whole ranking as CSV or an Arrow IPC stream (`format=`). */
export function pageResponses(item: TSchema, description = 'a page of the ranking') {
  return {
    200: {
      description,
      content: {
        'application/json': { schema: Type.Object({ ...SnapshotHead, total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(), items: Type.Array(item) }) },
        'text/csv': { schema: Type.String({ description: 'format=csv: the whole ranking, flat columns (one per measure)' }) },
        'application/vnd.apache.arrow.stream': { schema: Type.String({ format: 'binary', description: 'format=arrow: the whole ranking as an Arrow IPC stream' }) },
      },
    },
    304: Type.Null({ description: 'not modified (If-None-Match)' }),
    ...errors(400, 401, 404),
  };
}

/** A single JSON document of a snapshot (profile, seeds), or CSV on request. */
export function documentResponses(schema: TSchema, description: string) {
  return {
    200: { description, content: { 'application/json': { schema }, 'text/csv': { schema: Type.String() } } },
    304: Type.Null({ description: 'not modified (If-None-Match)' }),
    ...errors(400, 401, 404),
  };
}

export const SnapshotList = Type.Object({
  dataset: Type.String(),
  latest: Type.Union([Type.Integer(), Type.Null()], { description: 'the snapshot the ranking routes serve without ?snapshot=' }),
  total: Type.Integer(),
  items: Type.Array(Type.Object({
    id: Type.Integer(),
    readable: Type.Boolean(),
    kind: Type.Optional(Type.Union([Type.Literal('analysis'), Type.Literal('seeds')])),
    created: Type.Optional(Type.String({ description: 'ISO 8601' })),
    jobId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    request: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'the job request (measures, window, from, to, types, typeWeights, undirected, resolution, seed, publish)' })),
    seed: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    window: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    publish: Type.Optional(Type.Union([Type.Literal('latest'), Type.Literal('none')])),
    datasetVersion: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    nodes: Type.Optional(Type.Integer()),
    edges: Type.Optional(Type.Integer()),
    latest: Type.Boolean(),
  })),
});
