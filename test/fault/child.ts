/**
 * The real server (api/main.ts -> api/server.ts) with a misbehaving filesystem layer under its
 * durable writes: SUPERNODE_FAULTS holds a FaultPlan (test/fault/faulty-fs.ts) as JSON. Everything
 * else, the HTTP stack, the store, jobs, workers, is the product as shipped.
 */
import { setFsLayer } from '../../engine/store/durable.js';
import { type FaultPlan, faultyFs } from './faulty-fs.js';

const plan = process.env['SUPERNODE_FAULTS'];
if (plan !== undefined && plan !== '') setFsLayer(faultyFs(JSON.parse(plan) as FaultPlan));
await import('../../api/main.js');
