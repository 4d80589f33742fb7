// %% [markdown]
// # 31 · Graph neural networks: GCN, node classification and a GNN recommender
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S4-C23 | Implement a GNN recommender system | 实现一个基于图神经网络（Graph Neural Networks）的推荐系统 |
//
// **The short answer an interviewer wants.** A graph neural network computes a vector for every node by
// **message passing**: at each layer a node combines its own vector with an aggregate (sum, mean, max or an
// attention-weighted sum) of its neighbours' vectors, then applies the same learned transformation everywhere.
// The **GCN** layer (Kipf & Welling 2017) is H' = σ(Â·H·W) with Â = D̃^−½(A + I)D̃^−½, the adjacency with
// self-loops, symmetrically normalised so that repeated mixing neither explodes nor vanishes. After k layers a
// node has seen its k-hop neighbourhood. Because the same W is applied at every node and Â is built from the
// edges alone, relabelling the nodes only relabels the outputs (**permutation equivariance**), and one model
// works on graphs of any size. Tasks: **node classification** (label the nodes of one graph from a few labelled
// ones), **link prediction** (score pairs of nodes: friends, user–item interactions) and **graph
// classification** (pool all node vectors: molecules). A **GNN recommender** treats users and items as the two
// sides of a bipartite graph whose edges are interactions, learns an embedding per node by propagating over that
// graph (LightGCN, PinSage), scores a user–item pair by the dot product of their embeddings, trains on a ranking
// loss (BPR: a seen item should outscore an unseen one), and is judged by ranking metrics on held-out
// interactions (recall@k, NDCG, AUC) against a popularity baseline.
//
// Everything below runs offline in a few seconds: Zachary's karate club (typed from the 1977 paper,
// `data/karate-club.json`) and a seeded user–item graph with taste communities stand in for the web-scale
// graphs of real recommenders (catalog §5).

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { adjacencyMatrix, degrees, forceLayout, meanAggregation, normalizedAdjacency, permuteGraph, randomGraph, type Graph } from "./lib/graph/graph";
import { loadKarateClub } from "./lib/graph/karate";
import { GCN } from "./lib/graph/gcn";
import { LightGCN, linkPredictionPairs, makeTasteGraph, popularityScores, recallAtK, splitUserItemEdges } from "./lib/graph/recommendation";
import { symmetricEigen } from "./lib/math/linalg";
import { PCA } from "./lib/ml/pca";
import { aucMannWhitney, rocAucScore, rocCurve } from "./lib/ml/metrics";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { lineFigure } from "./lib/display/figures";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object

// %% [markdown]
// ## 1. A graph as matrices: A, D and the GCN's Â
//
// A graph with n nodes is an n × n **adjacency matrix** A (A_ij = 1 when i and j are linked) and a **degree**
// d_i = Σ_j A_ij per node. Multiplying node features X (one row per node) by A sums each node's neighbours'
// rows: message passing in one matrix product. Two problems with A itself: a node forgets its own features
// (A_ii = 0), and hubs get huge sums, so that stacking layers multiplies magnitudes by the degrees. The GCN fixes
// both: add self-loops (A + I, degrees D̃ = D + I) and normalise on both sides, Â = D̃^−½(A + I)D̃^−½, so that
// Â_ij = 1/√(d̃_i d̃_j). Â is symmetric and its eigenvalues lie in (−1, 1] with 1 on top (eigenvector
// D̃^½·1): repeated mixing is stable.
//
// A star with centre 0 and three leaves, by hand: d̃ = (4, 2, 2, 2), so Â_00 = 1/4, Â_0j = 1/√(4·2) = 1/√8,
// Â_jj = 1/2 and leaves are not linked to each other.

// %%
const star: Graph = { nodeCount: 4, edges: [[0, 1], [0, 2], [0, 3]] };
const starHat = normalizedAdjacency(star);
showTable(starHat.map((row, i) => Object.fromEntries([["node", i], ...row.map((v, j) => [`Â[·][${j}]`, v] as const)])), { caption: "Â of the star, computed", digits: 4 });
const spoke = 1 / Math.sqrt(8);
checkAllClose("Â of the star equals the hand values (1/4, 1/√8, 1/2, 0)", starHat,
  [[0.25, spoke, spoke, spoke], [spoke, 0.5, 0, 0], [spoke, 0, 0.5, 0], [spoke, 0, 0, 0.5]], { abs: 1e-15 });

// The rule holds for every graph, not just the star: 300 random graphs of 2–30 nodes and densities 0.05–0.9.
const graphRng = new Random(31);
let worstLow = Infinity, worstTop = 0, worstAsymmetry = 0;
for (let trial = 0; trial < 300; trial++) {
  const aHat = normalizedAdjacency(randomGraph(graphRng.int(2, 31), graphRng.uniform(0.05, 0.9), graphRng));
  aHat.forEach((row, i) => row.forEach((v, j) => (worstAsymmetry = Math.max(worstAsymmetry, Math.abs(v - aHat[j]![i]!)))));
  const { values } = symmetricEigen(aHat);
  worstLow = Math.min(worstLow, values[0]!);
  worstTop = Math.max(worstTop, Math.abs(values.at(-1)! - 1));
}
console.log(`300 random graphs: smallest eigenvalue ${worstLow.toFixed(4)}, largest eigenvalue within ${worstTop.toExponential(1)} of 1`);
check("Â is symmetric on all 300 random graphs", worstAsymmetry === 0);
check("every eigenvalue of Â lies in (−1, 1], and the largest is 1 (to 1e-9), on all 300 graphs", worstLow > -1 && worstTop < 1e-9,
  { smallest: worstLow, largestOffBy: worstTop });

// %% [markdown]
// ## 2. The GCN layer, and why the order of the nodes does not matter
//
// One GCN layer is H' = ReLU(Â·H·W + b): Â mixes each node with its neighbours, W (shared by all nodes)
// transforms the mixed features. `lib/graph/gcn.ts` stacks such layers (the last without ReLU, giving logits) and
// trains them with Adam. Renaming the nodes with a permutation P changes Â to PÂPᵀ and X to PX; the output is
// then P·GCN(Â, X): the same rows, reordered. A model that depended on the node order (a dense layer on a
// flattened adjacency matrix, say) would give different answers for the same graph.

// %%
const club = loadKarateClub();
const clubHat = normalizedAdjacency(club.graph);
const permutation = new Random(7).permutation(club.graph.nodeCount);
const featureRng = new Random(8);
const randomFeatures = Array.from({ length: 34 }, () => Array.from({ length: 5 }, () => featureRng.normal()));
const permutedFeatures: number[][] = new Array(34);
randomFeatures.forEach((row, i) => (permutedFeatures[permutation[i]!] = row));
const equivarianceNet = new GCN({ inputDim: 5, hiddenDims: [8], outputDim: 3, seed: 9 });
const [outputs, permutedOutputs] = tf.tidy(() => [
  equivarianceNet.logits(tf.tensor2d(clubHat), tf.tensor2d(randomFeatures)).arraySync(),
  equivarianceNet.logits(tf.tensor2d(normalizedAdjacency(permuteGraph(club.graph, permutation))), tf.tensor2d(permutedFeatures)).arraySync(),
]);
equivarianceNet.dispose();
checkAllClose("relabelling the 34 nodes relabels the GCN's output rows: GCN(PÂPᵀ, PX) = P·GCN(Â, X)",
  outputs.map((_, i) => permutedOutputs[permutation[i]!]!), outputs, { abs: 1e-6 });

// %% [markdown]
// ## 3. Node classification on Zachary's karate club, from one label per faction
//
// In 1977 Wayne Zachary recorded the friendships among 34 members of a university karate club, which then
// split in two: members followed either the instructor ("Mr. Hi", node 0) or the administrator (node 33). The
// task: knowing only those two members' sides, predict everyone else's. The features are one-hot node ids
// (X = I), so the only information is the graph itself. A two-layer GCN (34 → 16 → 2, weight decay 5·10⁻⁴ as in
// Kipf & Welling) is trained for 100 Adam steps on the cross-entropy of the two labelled nodes; the other 32
// nodes still shape the features through Â. Calibration (seeds 0–19): accuracy on the 32 unlabelled members
// 0.938–0.969; asserted ≥ 0.85. Without the graph (Â replaced by I, the same network otherwise) the unlabelled
// rows of the first layer never receive a gradient, so their predictions are whatever the initial weights say.

// %%
const identityFeatures = tf.eye(34) as tf.Tensor2D;
const clubHatTensor = tf.tensor2d(clubHat);
const twoLabels = club.faction.map((f, i) => (i === club.instructor || i === club.administrator ? f : null));
const unlabelled = club.faction.map((_, i) => i).filter((i) => twoLabels[i] === null);
const accuracyOn = (predicted: number[]) => unlabelled.filter((i) => predicted[i] === club.faction[i]).length / unlabelled.length;

const clubGcn = new GCN({ inputDim: 34, hiddenDims: [16], outputDim: 2, seed: 0 });
const clubLosses = clubGcn.fit(clubHatTensor, identityFeatures, twoLabels, { steps: 100, learningRate: 0.01, weightDecay: 5e-4 });
const clubPredicted = clubGcn.predict(clubHatTensor, identityFeatures);
const gcnAccuracy = accuracyOn(clubPredicted);

const noGraph = tf.eye(34) as tf.Tensor2D; // Â = I: each node sees only itself
const noGraphAccuracies = [0, 1, 2, 3, 4].map((seed) => {
  const net = new GCN({ inputDim: 34, hiddenDims: [16], outputDim: 2, seed });
  net.fit(noGraph, identityFeatures, twoLabels, { steps: 100, learningRate: 0.01, weightDecay: 5e-4 });
  const accuracy = accuracyOn(net.predict(noGraph, identityFeatures));
  net.dispose();
  return accuracy;
});
noGraph.dispose();
const meanNoGraph = noGraphAccuracies.reduce((a, b) => a + b, 0) / noGraphAccuracies.length;
showTable([
  { model: "GCN (Â), seed 0", "accuracy on the 32 unlabelled members": gcnAccuracy, "training loss, first → last step": `${clubLosses[0]!.toFixed(3)} → ${clubLosses.at(-1)!.toFixed(3)}` },
  { model: "same network without the graph (Â = I), mean of seeds 0–4", "accuracy on the 32 unlabelled members": meanNoGraph, "training loss, first → last step": "—" },
], { caption: "Karate club from two labelled members", digits: 3 });
check("the GCN labels the 32 other members with accuracy ≥ 0.85 (calibrated 0.938–0.969 over seeds 0–19)", gcnAccuracy >= 0.85, { accuracy: gcnAccuracy });
check("without the graph the same network is no better than a coin on average (mean of 5 seeds ≤ 0.65)", meanNoGraph <= 0.65, { accuracies: noGraphAccuracies.join(", ") });

// %% [markdown]
// The graph drawn with a force-directed layout (friends attract, everyone repels), coloured by the GCN's
// prediction; the two labelled members are the large markers, and a mistake is drawn as a cross.

// %%
const layout = forceLayout(club.graph, { seed: 0 });
const edgeTrace = {
  type: "scatter" as const, mode: "lines" as const, name: "friendship", hoverinfo: "skip" as const,
  x: club.graph.edges.flatMap(([a, b]) => [layout.x[a]!, layout.x[b]!, null]),
  y: club.graph.edges.flatMap(([a, b]) => [layout.y[a]!, layout.y[b]!, null]),
  line: { color: "#c7c7c7", width: 1 },
};
const factionColours = ["#1f77b4", "#d62728"];
const nodeTraces = [0, 1].map((side) => {
  const members = unlabelled.concat([club.instructor, club.administrator]).filter((i) => clubPredicted[i] === side);
  return {
    type: "scatter" as const, mode: "text+markers" as const, name: `predicted: ${club.factionNames[side]}`,
    x: members.map((i) => layout.x[i]!), y: members.map((i) => layout.y[i]!), text: members.map(String), textposition: "top center" as const,
    marker: {
      color: factionColours[side]!, size: members.map((i) => (twoLabels[i] === null ? 10 : 18)),
      symbol: members.map((i) => (clubPredicted[i] === club.faction[i] ? "circle" : "x")),
    },
  };
});
await showFigure({
  data: [edgeTrace, ...nodeTraces],
  layout: { title: { text: "Karate club: GCN prediction from members 0 and 33 (cross = wrong)" },
    xaxis: { title: { text: "layout x (no unit)" }, showticklabels: false }, yaxis: { title: { text: "layout y (no unit)" }, showticklabels: false } },
}, { width: 760, height: 520 });

// %% [markdown]
// The 16-dimensional hidden representation of each member, projected on its two principal components: the
// network has learned an embedding in which the factions separate, although it saw only two labels.

// %%
const hidden = tf.tidy(() => clubGcn.layerOutputs(clubHatTensor, identityFeatures)[0]!.arraySync());
const hiddenPca = new PCA({ nComponents: 2 }).fit(hidden);
const hidden2d = hiddenPca.transform(hidden);
await showFigure({
  data: [0, 1].map((side) => {
    const members = club.faction.map((_, i) => i).filter((i) => club.faction[i] === side);
    return { type: "scatter" as const, mode: "markers" as const, name: `true side: ${club.factionNames[side]}`,
      x: members.map((i) => hidden2d[i]![0]!), y: members.map((i) => hidden2d[i]![1]!), marker: { color: factionColours[side], size: 9 } };
  }),
  layout: { title: { text: "GCN hidden layer (16-D) on its first two principal components" },
    xaxis: { title: { text: "PC 1" } }, yaxis: { title: { text: "PC 2" } } },
}, { width: 700, height: 450 });

// %% [markdown]
// ## 4. S4-C23 · A GNN recommender: link prediction on a user–item graph
//
// **Question.** Implement a recommender system based on graph neural networks.
// (实现一个基于图神经网络（Graph Neural Networks）的推荐系统。)
//
// **Short answer.** Build the bipartite graph of users and items with an edge per interaction (click, purchase,
// rating). Give every user and item a learned embedding; propagate the embeddings over the normalised graph
// (LightGCN: e^(k+1) = Â·e^(k), final embedding the mean over k = 0 … K, no weights or non-linearities, which
// He et al. 2020 found to work better than a full GCN here); score a pair by the dot product of its user's and
// item's embeddings; train with **BPR** — for every seen pair (u, i) and a sampled unseen item j, minimise
// −log σ(s(u, i) − s(u, j)) plus L2 on the embeddings; evaluate on **held-out interactions** with ranking metrics
// (recall@k over items the user has not seen, AUC) against a **popularity** baseline. **What the seed gets
// wrong** (section 6): it calls a Keras layer that does not exist, has no graph at all and scores single nodes,
// not user–item pairs.
//
// **The data.** 240 users and 160 items in four taste communities; each user has 12 interactions, 90 % within
// their community, popular items more often (Zipf weights). 20 % of each user's interactions are held out.
// Three scorers: **popularity** (how often an item was chosen in training, the same list for everyone), **matrix
// factorisation** (the same model with K = 0: no propagation) and **LightGCN** with K = 2, both with 8-dimensional
// embeddings and 60 full-batch Adam steps. Calibration (data, split and model seeds 0–9): LightGCN's AUC
// 0.865–0.899 (a scorer that knows the true communities reaches 0.891–0.915), its recall@10 0.515–0.600 against
// popularity's 0.196–0.246 (2.2–2.9×) and matrix factorisation's 0.419–0.479 (LightGCN higher on every seed).

// %%
const tastes = makeTasteGraph({ users: 240, items: 160, seed: 0, communities: 4, inCommunity: 0.9, itemsPerUser: 12 });
const { train: trainEdges, test: testEdges } = splitUserItemEdges(tastes.edges, { testFraction: 0.2, seed: 100 });
console.log(`${tastes.edges.length} interactions: ${trainEdges.length} for training, ${testEdges.length} held out`);

const lightGcn = new LightGCN({ users: 240, items: 160, dim: 8, layers: 2, seed: 0 });
const bprLosses = lightGcn.fit(trainEdges, { steps: 60, learningRate: 0.05, l2: 0.1 });
const matrixFactorisation = new LightGCN({ users: 240, items: 160, dim: 8, layers: 0, seed: 0 });
matrixFactorisation.fit(trainEdges, { steps: 60, learningRate: 0.05, l2: 0.1 });

const scorers = {
  "LightGCN (K = 2)": lightGcn.scores(),
  "matrix factorisation (K = 0)": matrixFactorisation.scores(),
  popularity: popularityScores(trainEdges, 240, 160),
};
const { pairs: evaluationPairs, labels: evaluationLabels } = linkPredictionPairs(tastes, trainEdges, testEdges, 200);
const recommenderRows = Object.entries(scorers).map(([name, scores]) => ({
  scorer: name,
  "AUC (held-out edge vs random non-edge)": aucMannWhitney(evaluationLabels, evaluationPairs.map(([u, i]) => scores[u]![i]!)),
  "recall@10": recallAtK(scores, trainEdges, testEdges, 10),
}));
showTable(recommenderRows, { caption: `Recommendation on ${testEdges.length} held-out interactions (seed 0)`, digits: 3 });
const [gcnRow, mfRow, popularityRow] = recommenderRows;
check("LightGCN ranks held-out interactions above random non-edges: AUC ≥ 0.85 (calibrated 0.865–0.899)",
  gcnRow!["AUC (held-out edge vs random non-edge)"] >= 0.85, { auc: gcnRow!["AUC (held-out edge vs random non-edge)"] });
check("LightGCN's recall@10 is at least twice popularity's (calibrated 2.2–2.9×)", gcnRow!["recall@10"] >= 2 * popularityRow!["recall@10"],
  { lightGcn: gcnRow!["recall@10"], popularity: popularityRow!["recall@10"] });
check("propagating over the graph helps: LightGCN's recall@10 > matrix factorisation's at the same budget (higher on every seed 0–9)",
  gcnRow!["recall@10"] > mfRow!["recall@10"], { lightGcn: gcnRow!["recall@10"], matrixFactorisation: mfRow!["recall@10"] });
checkClose("the AUC equals the area under the ROC curve (Mann–Whitney vs trapezoids)", gcnRow!["AUC (held-out edge vs random non-edge)"],
  rocAucScore(evaluationLabels, evaluationPairs.map(([u, i]) => scorers["LightGCN (K = 2)"][u]![i]!)), { abs: 1e-12 });

// %%
await showFigure({
  data: Object.entries(scorers).map(([name, scores]) => {
    const curve = rocCurve(evaluationLabels, evaluationPairs.map(([u, i]) => scores[u]![i]!));
    return { type: "scatter" as const, mode: "lines" as const, name: name, x: curve.fpr, y: curve.tpr };
  }).concat([{ type: "scatter" as const, mode: "lines" as const, name: "chance", x: [0, 1], y: [0, 1], line: { dash: "dot", color: "#999" } } as never]),
  layout: { title: { text: "ROC: held-out interactions vs random non-edges" },
    xaxis: { title: { text: "false-positive rate" } }, yaxis: { title: { text: "true-positive rate" } } },
}, { width: 640, height: 460 });
await showFigure(lineFigure([{ name: "BPR loss", y: bprLosses, x: bprLosses.map((_, k) => k + 1) }],
  { title: "LightGCN training: BPR loss per full-batch Adam step", xTitle: "step", yTitle: "loss (nats)" }), { width: 640, height: 360 });
lightGcn.dispose();
matrixFactorisation.dispose();

// %% [markdown]
// **Where real systems differ.** Millions of nodes do not fit a dense Â: PinSage samples neighbourhoods by random
// walks and runs on mini-batches; negatives are sampled in proportion to popularity or mined as hard negatives;
// item features (text, images) give new items an embedding before anyone has clicked them (exercise 3); and offline
// recall is only a proxy for what an online A/B test measures.
//
// ## 5. Follow-ups: GraphSAGE and attention, and over-smoothing
//
// **GraphSAGE** (Hamilton et al. 2017) samples a fixed number of neighbours and concatenates a node's own vector
// with an aggregate of theirs: h' = σ([h ‖ mean_{u∈N(v)} h_u]·W). Because it learns a function of the
// neighbourhood rather than one embedding per node, it is **inductive**: it embeds nodes that were not in the
// training graph. **GAT** (Veličković et al. 2018) replaces the fixed weights 1/√(d̃_i d̃_j) by learned attention
// over the neighbours (softmax of a score of the two nodes' features), so that a node can listen more to some
// neighbours. The mean aggregator is D^−1·A: row i averages node i's neighbours.

// %%
const meanMatrix = meanAggregation(club.graph);
const clubDegrees = degrees(club.graph);
const clubAdjacency = adjacencyMatrix(club.graph);
const aggregatedByLoop = randomFeatures.map((_, i) => randomFeatures[0]!.map((_, k) =>
  clubAdjacency[i]!.reduce((s, linked, j) => s + linked * randomFeatures[j]![k]!, 0) / clubDegrees[i]!));
const aggregatedByMatrix = meanMatrix.map((row) => randomFeatures[0]!.map((_, k) => row.reduce((s, m, j) => s + m * randomFeatures[j]![k]!, 0)));
checkAllClose("GraphSAGE's mean aggregator D^−1·A·X equals each member's neighbours averaged in a loop", aggregatedByMatrix, aggregatedByLoop, { abs: 1e-12 });

const meanTensor = tf.tensor2d(meanMatrix);
const comparisonSeeds = Array.from({ length: 10 }, (_, k) => k);
const accuracies = { GCN: [] as number[], "GraphSAGE-mean": [] as number[] };
for (const seed of comparisonSeeds) {
  for (const [name, aggregation, propagation] of [["GCN", "gcn", clubHatTensor], ["GraphSAGE-mean", "sage-mean", meanTensor]] as const) {
    const net = new GCN({ inputDim: 34, hiddenDims: [16], outputDim: 2, seed, aggregation });
    net.fit(propagation, identityFeatures, twoLabels, { steps: 100, learningRate: 0.01, weightDecay: 5e-4 });
    accuracies[name].push(accuracyOn(net.predict(propagation, identityFeatures)));
    net.dispose();
  }
}
meanTensor.dispose();
const spread = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)), min: Math.min(...values) };
};
const aggregatorRows = Object.entries(accuracies).map(([name, values]) => ({ model: name, ...spread(values) }));
showTable(aggregatorRows, { caption: "Karate club from two labels, seeds 0–9: accuracy on the 32 unlabelled members", digits: 3 });
check("with one-hot ids and two labels, GCN is steadier than GraphSAGE-mean: smaller spread over seeds 0–9 (calibrated over seeds 0–19: 0.015 vs 0.10)",
  aggregatorRows[0]!.std < aggregatorRows[1]!.std, { gcn: aggregatorRows[0]!.std, sage: aggregatorRows[1]!.std });

// %% [markdown]
// Why the difference here: GraphSAGE keeps a node's own one-hot id in a separate half of W, and for the 32
// unlabelled members that half never receives a useful gradient, so it adds initialisation noise; the GCN mixes
// self and neighbours in one normalised average. With informative features (words, pixels) the picture changes,
// and GraphSAGE's inductive use is its real advantage.
//
// **Over-smoothing.** Each GCN layer multiplies by Â once more. With eigenvalues 1 = λ₁ > |λ₂| ≥ … (a connected
// graph) and v = D̃^½·1/‖D̃^½·1‖, Â^k = v·vᵀ + Σ_{i≥2} λ_i^k u_i u_iᵀ, so **‖Â^k − v·vᵀ‖₂ = ρ^k** with ρ the
// largest |λ_i| after the first: deep stacks converge to a matrix of rank one, and every node's representation
// becomes a multiple of the same vector — the nodes can no longer be told apart. Checked on the karate club for
// k = 1 … 40, together with the mean cosine similarity between the members' rows of Â^k·X (random features X).

// %%
const clubEigen = symmetricEigen(clubHat);
const clubEigenvalues = clubEigen.values;
const clubEigenvectors = clubEigen.vectors;
const top = clubEigenvectors.map((row) => row[33]!); // eigenvalues ascending: the last is 1
const rho = Math.max(Math.abs(clubEigenvalues[0]!), Math.abs(clubEigenvalues[32]!));
const depths = Array.from({ length: 40 }, (_, k) => k + 1);
let power = clubHat.map((row) => [...row]);
let smoothed = clubHat.map((row) => randomFeatures[0]!.map((_, c) => row.reduce((s, a, j) => s + a * randomFeatures[j]![c]!, 0)));
const distanceToRankOne: number[] = [], meanCosine: number[] = [];
const multiply = (a: number[][], b: number[][]) => a.map((row) => b[0]!.map((_, c) => row.reduce((s, v, j) => s + v * b[j]![c]!, 0)));
for (const k of depths) {
  if (k > 1) {
    power = multiply(power, clubHat);
    smoothed = multiply(clubHat, smoothed);
  }
  const difference = power.map((row, i) => row.map((v, j) => v - top[i]! * top[j]!));
  const eigen = symmetricEigen(difference).values;
  distanceToRankOne.push(Math.max(Math.abs(eigen[0]!), Math.abs(eigen.at(-1)!)));
  const unit = smoothed.map((row) => row.map((v) => v / Math.hypot(...row)));
  let sum = 0, count = 0;
  for (let i = 0; i < 34; i++) for (let j = i + 1; j < 34; j++) {
    sum += unit[i]!.reduce((s, v, c) => s + v * unit[j]![c]!, 0);
    count++;
  }
  meanCosine.push(sum / count);
}
const worstRelative = Math.max(...depths.map((k, n) => Math.abs(distanceToRankOne[n]! - rho ** k) / rho ** k));
console.log(`ρ = ${rho.toFixed(4)}; ‖Â^k − vvᵀ‖₂ vs ρ^k: worst relative difference ${worstRelative.toExponential(1)} over k = 1 … 40`);
check("‖Â^k − v·vᵀ‖₂ = ρ^k for every k = 1 … 40 (relative 1e-6)", worstRelative < 1e-6, { rho: rho, worstRelative: worstRelative });
check("over-smoothing: the members' rows of Â^k·X become parallel (mean cosine ≥ 0.99 at k = 40, and higher than at k = 1)",
  meanCosine.at(-1)! >= 0.99 && meanCosine.at(-1)! > meanCosine[0]!, { k1: meanCosine[0]!, k40: meanCosine.at(-1)! });
await showFigure(lineFigure([
  { name: "distance of Â^k from rank one, computed", x: depths, y: distanceToRankOne },
  { name: "ρ^k, closed form (the same line)", x: depths, y: depths.map((k) => rho ** k) },
  { name: "1 − mean cosine between members", x: depths, y: meanCosine.map((c) => 1 - c) },
], { title: "Over-smoothing on the karate club", xTitle: "propagation steps k (GCN depth)", yTitle: "value (log scale)", logY: true }), { width: 700, height: 420 });
clubGcn.dispose();
tf.dispose([clubHatTensor, identityFeatures]);

// %% [markdown]
// Remedies used in practice: few layers (2–3), residual or jumping-knowledge connections that keep the early
// layers' representations, DropEdge, and personalised-PageRank propagation (APPNP), which keeps a share of each
// node's own features at every step.
//
// ## 6. Spot the bug in the seed's GNN recommender (S4-C23)
//
// ```python
// def create_gnn_model(input_shape, hidden_size):
//     gnn = tf.keras.layers.GraphConvolution(inputs=input_shape, filters=hidden_size, activation='relu')
//     model = tf.keras.Sequential([gnn, tf.keras.layers.Dense(hidden_size, activation='relu'),
//                                  tf.keras.layers.Dense(1, activation='sigmoid')])
//     model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
//     return model
// model = create_gnn_model(input_shape=(100,), hidden_size=32)
// model.fit(x_train, y_train, epochs=10, batch_size=32, validation_data=(x_val, y_val))
// ```
//
// The same holds for TensorFlow.js, whose layers mirror Keras': there is no graph-convolution layer.

// %%
const layerFactories = Object.keys(tf.layers);
console.log(`tf.layers has ${layerFactories.length} factories; graph-like ones: ${layerFactories.filter((name) => /graph/i.test(name)).join(", ") || "none"}`);
check("TensorFlow.js (like Keras) has no GraphConvolution layer: the seed's first line fails", !layerFactories.some((name) => /graph/i.test(name)));

// %% [markdown]
// ## Recap
//
// * Message passing: each layer mixes a node with an aggregate of its neighbours and applies shared weights. The
//   GCN uses Â = D̃^−½(A + I)D̃^−½: symmetric, eigenvalues in (−1, 1] (checked on 300 random graphs).
// * Shared weights and an edge-built Â make a GCN permutation-equivariant: relabel the nodes, and the outputs are
//   relabelled.
// * From two labelled members, a 2-layer GCN labels the karate club's other 32 members at ≥ 0.85 (0.94–0.97 over
//   seeds); without the graph the same network is a coin toss.
// * A GNN recommender is link prediction on the user–item graph: LightGCN embeddings, dot-product scores, BPR loss,
//   ranking metrics on held-out interactions. Here: AUC ≥ 0.85, recall@10 over twice popularity's, and above plain
//   matrix factorisation.
// * GraphSAGE (sampled neighbours, concatenation, inductive) and GAT (learned attention weights) change the
//   aggregation. Depth over-smooths: ‖Â^k − vvᵀ‖ = ρ^k, so deep GCNs make all nodes alike.
//
// ## Exercises
//
// 1. **Spot the bug (S4-C23).** Section 6's Keras code: list what stops it from running and what makes it a poor
//    recommender even when it runs. What are the inputs, the output and the metric of a recommender built on a
//    graph?
// 2. **Depth.** Train GCNs with 2, 8, 16 and 32 layers (hidden width 16) on the karate club from the two labels and
//    compare their accuracy on the other 32 members. Relate the result to section 5's ρ^k.
// 3. **Cold start.** Add a new item that nobody has chosen yet. What score does LightGCN give it for every user,
//    and what does popularity give it? How do production systems recommend such an item?

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** `tf.keras.layers.GraphConvolution` does not exist (*AttributeError*; GNN layers live in libraries such as
// Spektral, TF-GNN or PyTorch Geometric), and a `Sequential` cannot take the two inputs a graph layer needs, the
// features X and the adjacency A; no Â is ever built. `x_train`, `y_train`, `x_val` and `y_val` are undefined.
// Even running, it would map one 100-dimensional vector to one probability: a per-node classifier, not a
// recommender. A recommender scores **pairs**: inputs are the user–item interaction graph (and optional
// features), the output is a score per (user, item), training uses a pairwise or sampled-negative loss (BPR,
// binary cross-entropy on edges vs non-edges), and evaluation ranks each user's unseen items (recall@k, NDCG, AUC
// on held-out interactions), against a popularity baseline. Accuracy on a balanced sigmoid says nothing about the
// ranking.
//
// **2.** Two layers label the club well; eight still mostly do (measured over seeds 0–5: 0.69–1.00, less stable);
// from 16 layers on, the network predicts one faction for almost everyone, a coin toss (0.50–0.53 over seeds 0–5
// at 16, 32 and 64 layers). Two causes add up: over-smoothing (ρ^16 = 0.17, ρ^32 = 0.03: the propagated
// representations are close to the rank-one limit of section 5) and optimisation (gradients through a deep
// stack of ReLU layers without residual connections shrink). Residual connections and normalisation address
// the second; neither brings back what smoothing has averaged away.

// %% tags=["solution"]
const depthClub = loadKarateClub();
const depthHat = tf.tensor2d(normalizedAdjacency(depthClub.graph));
const depthX = tf.eye(34) as tf.Tensor2D;
const depthLabels = depthClub.faction.map((f, i) => (i === 0 || i === 33 ? f : null));
const depthRows = [2, 8, 16, 32].map((layers) => {
  const values = [0, 1].map((seed) => {
    const net = new GCN({ inputDim: 34, hiddenDims: Array.from({ length: layers - 1 }, () => 16), outputDim: 2, seed });
    net.fit(depthHat, depthX, depthLabels, { steps: 100, learningRate: 0.01, weightDecay: 5e-4 });
    const predicted = net.predict(depthHat, depthX);
    net.dispose();
    return predicted.filter((c, i) => depthLabels[i] === null && c === depthClub.faction[i]).length / 32;
  });
  return { layers, "mean accuracy (seeds 0–1)": values.reduce((a, b) => a + b, 0) / values.length };
});
tf.dispose([depthHat, depthX]);
showTable(depthRows, { caption: "GCN depth on the karate club", digits: 3 });
const accuracyAt = (layers: number) => depthRows.find((row) => row.layers === layers)!["mean accuracy (seeds 0–1)"];
check("2 layers label the club well (≥ 0.9), while 16 and 32 layers fall to a coin toss (≤ 0.6)",
  accuracyAt(2) >= 0.9 && accuracyAt(16) <= 0.6 && accuracyAt(32) <= 0.6);

// %% [markdown] tags=["solution"]
// **3.** A node without edges receives nothing by propagation: LightGCN's final embedding of the new item is its
// random initial vector divided by K + 1, so its scores are noise (BPR never trained it), and popularity gives it
// 0, the bottom of every list. Production systems embed new items from their **content** (text, image, category:
// a two-tower model or PinSage's feature-based aggregation), explore with bandits to collect the first
// interactions, and blend in recency or editorial boosts.
