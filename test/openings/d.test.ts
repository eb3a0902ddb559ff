import { replayOpenings } from './replay.js';

replayOpenings('d.tsv');
