/** `docker history` rows from the config's history; empty_layer entries get size 0. */
import type { ImageConfig } from './types.js';

export interface HistoryRow {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** Newest first, like Docker; only the top row carries the image id and tags. */
export function historyRows(id: string, tags: string[], config: ImageConfig, layerSizes: number[]): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let layer = 0;
  const entries = config.history?.length ? config.history : layerSizes.map(() => ({}) as NonNullable<ImageConfig['history']>[number]);
  for (const h of entries) {
    const empty = h.empty_layer === true;
    const size = empty ? 0 : (layerSizes[layer++] ?? 0);
    rows.push({
      Id: '<missing>',
      Created: h.created ? Math.floor(Date.parse(h.created) / 1000) || 0 : 0,
      CreatedBy: h.created_by ?? '',
      Tags: null,
      Size: size,
      Comment: h.comment ?? '',
    });
  }
  rows.reverse();
  if (rows.length > 0) {
    rows[0]!.Id = id;
    rows[0]!.Tags = tags.length ? tags : null;
  }
  return rows;
}
