/**
 * Zachary's karate club (Zachary 1977): 34 members, 78 friendships, and the faction each member joined when the
 * club split — node 0 (the instructor, "Mr. Hi") vs node 33 (the administrator, "Officer"). Read from
 * data/karate-club.json (source and checks in data/README.md), nodes 0-indexed as in networkx.
 */
import { readDataText } from "../data";
import { checkGraph, type Graph } from "./graph";

export interface KarateClub {
  graph: Graph;
  /** 0 = joined the instructor (node 0), 1 = joined the administrator (node 33). */
  faction: number[];
  factionNames: [string, string];
  instructor: number;
  administrator: number;
}

export function loadKarateClub(): KarateClub {
  const file = "karate-club.json";
  const raw = JSON.parse(readDataText(file)) as { nodes?: number; edges?: [number, number][]; faction?: number[]; factionNames?: [string, string] };
  if (raw.nodes !== 34 || !Array.isArray(raw.edges) || raw.edges.length !== 78 || !Array.isArray(raw.faction) || raw.faction.length !== 34) {
    throw new Error(`data/${file}: expected 34 nodes, 78 edges and 34 faction labels, got ${raw.nodes} nodes, ${raw.edges?.length} edges, ${raw.faction?.length} labels`);
  }
  if (raw.faction.some((f) => f !== 0 && f !== 1)) throw new Error(`data/${file}: every faction label must be 0 or 1`);
  const graph: Graph = { nodeCount: raw.nodes, edges: raw.edges.map(([a, b]) => [a, b] as const) };
  checkGraph(graph, `data/${file}`);
  return { graph, faction: raw.faction, factionNames: raw.factionNames ?? ["Mr. Hi", "Officer"], instructor: 0, administrator: 33 };
}
