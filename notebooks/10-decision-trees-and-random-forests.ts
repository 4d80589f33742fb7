// %% [markdown]
// # 10 · Decision trees and random forests
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S4-C2 | Implement a decision-tree classifier. | 实现一个基于决策树的分类器。 |
// | S4-C5 | Implement a random-forest classifier. | 实现一个基于随机森林的分类器。 |
//
// **The short answer an interviewer wants.** A decision tree is grown greedily from the root: at each node
// it tries every feature and threshold, keeps the split that lowers the class impurity most (*information
// gain* = entropy decrease for ID3, *gain ratio* = information gain ÷ the split's own entropy for C4.5, *Gini
// decrease* for CART), and recurses until a node is pure or a stopping rule (max depth, min samples per leaf)
// fires; a leaf predicts its majority class. Grown to the end, a tree fits its training set perfectly and has **high variance**:
// a different sample of the data gives a different tree. A **random forest** averages many trees that are
// made different on purpose: each tree sees a **bootstrap sample** (n rows drawn with replacement) and each
// split considers only a **random subset of the features** (√d by default). Averaging B trees whose errors
// are correlated by ρ leaves a variance of ρσ² + (1 − ρ)σ²/B, so the forest wins by lowering ρ. Each tree
// misses about 1/e ≈ 36.8 % of the rows; scoring every row with only the trees that did not see it gives
// the **out-of-bag (OOB)** estimate of test accuracy for free. Without the two sources of randomness all
// trees are the same tree, which is exactly what the seed's "forest" (S4-C5) builds. Follow-ups (sections
// 5–8): the bias of information gain, regression trees, pruning, and gradient boosting vs forests.

// %%
import pl from "nodejs-polars";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { dataPath, loadBreastCancer, loadIris, loadPlayTennis, loadWine } from "./lib/data";
import { loadTreeFixture, partitionKey, skPartition, splitByTestIndices, type SkSplit } from "./lib/fixtures/10-decision-trees";
import { take, trainTestSplit } from "./lib/split";
import { DecisionTreeClassifier, DecisionTreeRegressor, entropy, exportText, gini, informationGain, walk } from "./lib/ml/tree";
import { GradientBoostingClassifier, GradientBoostingRegressor } from "./lib/ml/boosting";
import { RandomForestClassifier } from "./lib/ml/forest";
import { accuracyScore } from "./lib/ml/base";
import { mean } from "./lib/ml/stats";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { lineFigure } from "./lib/display/figures";

// %% [markdown]
// ## 1. Entropy, Gini and information gain, by hand on play tennis
//
// The classic 14-day table (Quinlan; Mitchell 1997, Table 3.2): should we play tennis, given the outlook,
// temperature, humidity and wind? For a set S with class proportions pₖ,
//
// $$H(S) = -\sum_k p_k \log_2 p_k \ \text{(bits)}, \qquad \mathrm{Gini}(S) = 1 - \sum_k p_k^2, \qquad
//   \mathrm{IG}(S, A) = H(S) - \sum_{v \in A} \frac{|S_v|}{|S|}\, H(S_v).$$
//
// Entropy is the expected number of bits needed to encode a label; Gini is the chance that two labels drawn
// with replacement differ. Information gain is how much splitting on attribute A lowers the (size-weighted)
// impurity. One nodejs-polars group-by gives the counts the gain needs. The hand version works on these
// counts; `lib/ml/tree.ts` has the reusable `entropy`, `gini` and `informationGain`, which take label lists:

// %%
const tennisFrame = pl.readCSV(dataPath("play_tennis.csv"));
const outlookCounts = tennisFrame
  .groupBy("outlook")
  .agg(pl.col("play").eq(pl.lit("yes")).sum().alias("yes"), pl.col("play").eq(pl.lit("no")).sum().alias("no"), pl.len().alias("days"))
  .sort("outlook");
showTable(outlookCounts, { caption: "Play tennis: days per outlook and class" });

/** Entropy in bits of a vector of class counts (0 · log 0 = 0). */
function entropyOfCounts(counts: number[]): number {
  const n = counts.reduce((s, c) => s + c, 0);
  return -counts.reduce((s, c) => (c === 0 ? s : s + (c / n) * Math.log2(c / n)), 0);
}
/** Gini impurity of a vector of class counts. */
function giniOfCounts(counts: number[]): number {
  const n = counts.reduce((s, c) => s + c, 0);
  return 1 - counts.reduce((s, c) => s + (c / n) ** 2, 0);
}
/** Impurity of the parent minus the size-weighted impurity of the children. */
function gainOfCounts(impurity: (counts: number[]) => number, children: number[][]): number {
  const parent = children[0]!.map((_, k) => children.reduce((s, child) => s + child[k]!, 0));
  const n = parent.reduce((s, c) => s + c, 0);
  return impurity(parent) - children.reduce((s, child) => s + (child.reduce((a, c) => a + c, 0) / n) * impurity(child), 0);
}

const tennis = loadPlayTennis();
const playLabels = tennis.target.map((t) => tennis.targetNames[t]!);
/** [value][class] counts of attribute j. */
const countsBy = (j: number) => tennis.categories[j]!.map((value) => tennis.targetNames.map((_, k) => tennis.raw.filter((row, i) => row[j] === value && tennis.target[i] === k).length));
const labelGroups = (j: number) => tennis.categories[j]!.map((value) => playLabels.filter((_, i) => tennis.raw[i]![j] === value));
const attributeGains = tennis.featureNames.map((name, j) => ({
  attribute: name,
  "IG by hand (bits)": gainOfCounts(entropyOfCounts, countsBy(j)),
  "IG lib (bits)": informationGain(playLabels, labelGroups(j)),
  "Gini decrease by hand": gainOfCounts(giniOfCounts, countsBy(j)),
  "Gini decrease lib": informationGain(playLabels, labelGroups(j), gini),
}));
showTable(attributeGains, { caption: `H(S) = ${entropy(playLabels).toFixed(4)} bits, Gini(S) = ${gini(playLabels).toFixed(4)} for 9 yes / 5 no` });

// %% [markdown]
// The independent truth is the closed form from the counts of the table above (2 yes / 3 no when sunny,
// 4 / 0 when overcast, 3 / 2 when rainy) with the binary entropy h(p) = −p log₂ p − (1 − p) log₂(1 − p):
//
// $$\mathrm{IG}(\text{Outlook}) = h(9/14) - \tfrac{5}{14} h(2/5) - \tfrac{4}{14}\cdot 0 - \tfrac{5}{14} h(3/5) = 0.2467 \text{ bits},$$
//
// and Mitchell prints Gain(S, Outlook) = 0.246, Humidity 0.151, Wind 0.048, Temperature 0.029 (truncated to
// three decimals).

// %%
const h2 = (p: number) => -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
const outlookGainClosedForm = h2(9 / 14) - (5 / 14) * h2(2 / 5) - (4 / 14) * 0 - (5 / 14) * h2(3 / 5);
const gainOf = (name: string) => attributeGains.find((g) => g.attribute === name)!;
checkClose("IG(Outlook) = 0.2467 bits (closed form from the counts, ±1e-4)", outlookGainClosedForm, 0.2467, { abs: 1e-4 });
checkClose("lib informationGain(Outlook) = the closed form", gainOf("outlook")["IG lib (bits)"], outlookGainClosedForm, { abs: 1e-12 });
checkAllClose("hand gains from counts = lib gains from label lists (entropy and Gini, 4 attributes)",
  attributeGains.flatMap((g) => [g["IG by hand (bits)"], g["Gini decrease by hand"]]),
  attributeGains.flatMap((g) => [g["IG lib (bits)"], g["Gini decrease lib"]]), { abs: 1e-12 });
checkAllClose("gains equal Mitchell's printed values (outlook, temperature, humidity, wind; 3 decimals)",
  ["outlook", "temperature", "humidity", "wind"].map((a) => gainOf(a)["IG lib (bits)"]), [0.246, 0.029, 0.151, 0.048], { abs: 1e-3 });
check("Outlook is the best root split under entropy and under Gini",
  attributeGains.every((g) => g["IG lib (bits)"] <= gainOf("outlook")["IG lib (bits)"] && g["Gini decrease lib"] <= gainOf("outlook")["Gini decrease lib"]));

// %% [markdown]
// For two classes both impurities are 0 for a pure node and largest at p = ½ (entropy 1 bit, Gini ½).
// They rank splits almost always the same way; Gini avoids the logarithm, which is why CART uses it by
// default. The misclassification rate 1 − max(p, 1 − p) is a poor split criterion: it is linear between
// its kinks, so a split that makes the children purer without changing their majority classes gains nothing.

// %%
const pGrid = Array.from({ length: 201 }, (_, i) => i / 200);
const binaryEntropy = pGrid.map((p) => entropyOfCounts([p, 1 - p]));
const binaryGini = pGrid.map((p) => giniOfCounts([p, 1 - p]));
await showFigure(lineFigure([
  { name: "entropy H (bits)", x: pGrid, y: binaryEntropy },
  { name: "Gini 1 − Σp²", x: pGrid, y: binaryGini },
  { name: "misclassification 1 − max p", x: pGrid, y: pGrid.map((p) => 1 - Math.max(p, 1 - p)) },
], { title: "Impurity of a two-class node", xTitle: "proportion p of class 1", yTitle: "impurity" }));
check("binary entropy peaks at p = ½ with 1 bit, Gini at p = ½ with ½",
  binaryEntropy[100] === 1 && Math.max(...binaryEntropy) === 1 && binaryGini[100] === 0.5 && Math.max(...binaryGini) === 0.5);

// %% [markdown]
// **ID3**, the algorithm behind the textbook example, splits a node into one child per value of the best
// attribute and recurses until the labels agree. Written by hand (it is short), it grows Mitchell's
// Figure 3.1 tree, which is typed in below as the independent truth.

// %%
/** A leaf has a label; an inner node has an attribute and one child per value. */
interface Id3Node { label?: string; attribute?: number; children?: { value: string; node: Id3Node }[] }

function id3(rows: number[], attributes: number[]): Id3Node {
  const labels = rows.map((i) => playLabels[i]!);
  const majority = [...new Set(labels)].sort((a, b) => labels.filter((l) => l === b).length - labels.filter((l) => l === a).length)[0]!;
  if (new Set(labels).size === 1 || attributes.length === 0) return { label: majority };
  const groups = (j: number) => tennis.categories[j]!.map((value) => rows.filter((i) => tennis.raw[i]![j] === value));
  const gains = attributes.map((j) => informationGain(labels, groups(j).map((g) => g.map((i) => playLabels[i]!))));
  const best = attributes[gains.indexOf(Math.max(...gains))]!;
  const children = tennis.categories[best]!
    .map((value, v) => ({ value: value, rows: groups(best)[v]! }))
    .filter((c) => c.rows.length > 0)
    .map((c) => ({ value: c.value, node: id3(c.rows, attributes.filter((j) => j !== best)) }));
  return { attribute: best, children: children };
}

function id3Rules(node: Id3Node, indent = ""): string[] {
  return node.children!.flatMap(({ value, node: child }) => {
    const test = `${indent}${tennis.featureNames[node.attribute!]} = ${value}`;
    return child.label !== undefined ? [`${test} → ${child.label}`] : [test, ...id3Rules(child, `${indent}|   `)];
  });
}
function id3Predict(node: Id3Node, row: string[]): string {
  return node.label ?? id3Predict(node.children!.find((c) => c.value === row[node.attribute!])!.node, row);
}

const id3Tree = id3(tennis.raw.map((_, i) => i), [0, 1, 2, 3]);
console.log(id3Rules(id3Tree).join("\n"));
// Mitchell (1997), Figure 3.1, in the same notation.
const mitchellFigure31 = ["outlook = sunny", "|   humidity = high → no", "|   humidity = normal → yes", "outlook = overcast → yes",
  "outlook = rain", "|   wind = weak → yes", "|   wind = strong → no"];
check("ID3 grows Mitchell's Figure 3.1 tree", id3Rules(id3Tree).join("\n") === mitchellFigure31.join("\n"));
check("the ID3 tree classifies all 14 training days correctly", tennis.raw.every((row, i) => id3Predict(id3Tree, row) === playLabels[i]));

// %% [markdown]
// ## 2. CART: binary threshold splits, checked against scikit-learn
//
// CART (what scikit-learn and `lib/ml/tree.ts` implement) makes only **binary** splits `x_j ≤ t`. For a
// numeric feature it sorts the node's values once and sweeps the thresholds halfway between consecutive
// distinct values, moving one sample at a time from the right child's class counts to the left's, so one
// feature costs O(n log n). The split with the largest decrease of n·Gini wins. The heart of it, by hand,
// on Wisconsin breast cancer (569 tumours, 30 features, malignant vs benign). The five stratified 75/25 splits
// come from the scikit-learn fixture `data/sklearn/10-decision-trees-and-random-forests-models.json` (written
// by the `.py` beside it), so both libraries see the same rows. The root split by hand (every feature, best
// threshold) must be the root of `DecisionTreeClassifier` and of scikit-learn's tree.

// %%
/** Best Gini split x ≤ t of one feature: returns the threshold and the decrease of the weighted Gini. */
function bestThreshold(column: number[], y: number[], nClasses: number): { threshold: number; decrease: number } {
  const order = column.map((_, i) => i).sort((a, b) => column[a]! - column[b]!);
  const right = new Array<number>(nClasses).fill(0);
  y.forEach((label) => right[label]!++);
  const left = new Array<number>(nClasses).fill(0);
  const n = y.length;
  const parentGini = giniOfCounts(right);
  let best = { threshold: NaN, decrease: -Infinity };
  for (let p = 1; p < n; p++) {
    const moved = y[order[p - 1]!]!;
    left[moved]!++;
    right[moved]!--;
    const [before, after] = [column[order[p - 1]!]!, column[order[p]!]!];
    if (after === before) continue; // no threshold separates equal values
    const decrease = parentGini - (p / n) * giniOfCounts(left) - ((n - p) / n) * giniOfCounts(right);
    if (decrease > best.decrease) best = { threshold: (before + after) / 2, decrease: decrease };
  }
  return best;
}

const sk = loadTreeFixture(); // scikit-learn results, typed in lib/fixtures/10-decision-trees.ts

const cancer = loadBreastCancer();
const cancerSplit = (split: SkSplit) => splitByTestIndices(cancer.data, cancer.target, split.testIndices);
const split0 = cancerSplit(sk.cancer.splits[0]!);

const rootCandidates = cancer.featureNames.map((_, j) => ({ feature: j, ...bestThreshold(split0.XTrain.map((x) => x[j]!), split0.yTrain, 2) }));
const handRoot = rootCandidates.reduce((a, b) => (b.decrease > a.decrease ? b : a));
const libStump = new DecisionTreeClassifier({ maxDepth: 1 }).fit(split0.XTrain, split0.yTrain);
const skRoots = sk.cancer.splits[0]!.tree.find((t) => t.maxDepth === 3)!.distinctTrees!.map((t) => t.tree);
console.log(`root by hand: ${cancer.featureNames[handRoot.feature]} ≤ ${handRoot.threshold} (Gini decrease ${handRoot.decrease.toFixed(4)})`);
check("hand root split = lib CART root (feature and threshold)", handRoot.feature === libStump.tree_!.split!.feature && handRoot.threshold === libStump.tree_!.split!.threshold);
check(`hand root split = scikit-learn ${sk.sklearn} root in every one of its ${skRoots.length} depth-3 trees (threshold within float32 rounding)`,
  skRoots.every((r) => r.feature === handRoot.feature && Math.abs(r.threshold! - handRoot.threshold) <= 1e-6 * handRoot.threshold));

// %% [markdown]
// Grown with `maxDepth: 3`, the tree reads as rules (`exportText`). scikit-learn visits features in a
// random order even when it tries all of them, so when two features split equally well its
// `random_state` decides; the fixture therefore holds every distinct tree over 20 seeds. Our tree must make
// the same **partition** as one of them (the same samples and class counts in every node).

// %%
const depth3 = new DecisionTreeClassifier({ maxDepth: 3 }).fit(split0.XTrain, split0.yTrain);
console.log(exportText(depth3, cancer.featureNames));
// partitionKey: the nested (samples, class counts) of the nodes; equal keys = the same partition.
const ourPartition = (node: NonNullable<DecisionTreeClassifier["tree_"]>): string =>
  partitionKey(node.nSamples, node.value, node.split ? [ourPartition(node.split.left), ourPartition(node.split.right)] : []);
check("depth-3 CART makes the same partition as one of scikit-learn's depth-3 trees", skRoots.some((t) => skPartition(t) === ourPartition(depth3.tree_!)));

// %% [markdown]
// **Depth controls the bias–variance trade-off.** With no depth limit CART splits until every leaf is pure
// (100 % training accuracy: no two identical rows here carry different labels). Test accuracy stops improving
// after depth 2–4 while training accuracy keeps climbing: the extra depth memorises the training set. All five
// splits, with scikit-learn's mean test accuracy over its 20 tie-breaking seeds as the reference:

// %%
const depths = [1, 2, 3, 4, 5, 6, 7, 8, null];
const depthSweep = sk.cancer.splits.map((split) => {
  const { XTrain, yTrain, XTest, yTest } = cancerSplit(split);
  return depths.map((maxDepth) => {
    const tree = new DecisionTreeClassifier({ maxDepth: maxDepth }).fit(XTrain, yTrain);
    const reference = split.tree.find((t) => t.maxDepth === maxDepth)!;
    return { maxDepth: maxDepth, tree: tree, train: tree.score(XTrain, yTrain), test: tree.score(XTest, yTest), skTest: reference.testAccuracy.mean, skTrain: reference.trainAccuracy.mean };
  });
});
const meanOver = (f: (row: (typeof depthSweep)[number][number]) => number) => depths.map((_, d) => mean(depthSweep.map((rows) => f(rows[d]!))));
const depthLabels = depths.map((d) => (d === null ? "none" : String(d)));
const unlimited = depthSweep.map((rows) => rows[rows.length - 1]!);
check("unlimited depth: training accuracy 1.0 on all five splits, as scikit-learn's", unlimited.every((r) => r.train === 1 && r.skTrain === 1));
check("unlimited depth: every leaf is pure", unlimited.every((r) => {
  let pure = true;
  walk(r.tree.tree_!, (node) => void (node.split || node.value.filter((v) => v > 0).length === 1 || (pure = false)));
  return pure;
}));
const worstGap = Math.max(...depthSweep.flat().map((r) => Math.abs(r.test - r.skTest)));
check("test accuracy within 3 points of scikit-learn's at every depth on every split (45 trees)", worstGap <= 0.03, { worstGap: worstGap });
const depthFigure = lineFigure([
  { name: "train (ours)", y: meanOver((r) => r.train) },
  { name: "test (ours)", y: meanOver((r) => r.test) },
  { name: `test (scikit-learn ${sk.sklearn})`, y: meanOver((r) => r.skTest) },
], { title: "Decision tree on breast cancer: accuracy vs depth (mean of 5 splits)", xTitle: "max depth (none = grown until pure)", yTitle: "accuracy" });
await showFigure({ ...depthFigure, data: depthFigure.data.map((trace) => ({ ...trace, x: depthLabels, mode: "lines+markers" as const })) });

// %% [markdown]
// ## 3. Random forests: bootstrap rows, random features, average
//
// **Bootstrap.** Each tree is trained on n rows drawn with replacement. A given row is missed by one draw
// with probability 1 − 1/n, so by all n draws with probability (1 − 1/n)ⁿ → 1/e ≈ 0.368: each tree leaves
// out about a third of the data, which is its **out-of-bag** set. Checked by drawing 200 bootstrap samples:

// %%
const nTrain = split0.yTrain.length;
const bootstrapRng = new Random(0);
const oobFractions = Array.from({ length: 200 }, () => {
  const drawn = new Set(Array.from({ length: nTrain }, () => bootstrapRng.int(0, nTrain)));
  return 1 - drawn.size / nTrain;
});
const oobClosedForm = (1 - 1 / nTrain) ** nTrain;
console.log(`n = ${nTrain}: mean out-of-bag fraction ${mean(oobFractions).toFixed(4)}, (1 − 1/n)^n = ${oobClosedForm.toFixed(4)}, 1/e = ${Math.exp(-1).toFixed(4)}`);
// The fraction's standard deviation per sample is ≈ √(0.37·0.63/n) ≈ 0.023; over 200 samples ≈ 0.0016.
checkClose("mean out-of-bag fraction of 200 bootstraps = (1 − 1/n)ⁿ (±0.005)", mean(oobFractions), oobClosedForm, { abs: 0.005 });

// %% [markdown]
// **Random features.** Each split considers only `maxFeatures` random features (√30 → 5 here), so a strong
// feature cannot take every tree's top split: the trees' errors are less correlated and averaging removes
// more variance. Prediction is **soft voting** (the mean of the trees' `predictProba`), as in scikit-learn.
// The forest (`lib/ml/forest.ts`, 100 trees) against one unlimited tree on the five splits, with
// scikit-learn's `RandomForestClassifier` (same settings, its own random streams) as the reference:

// %%
const forestRuns = sk.cancer.splits.map((split) => {
  const { XTrain, yTrain, XTest, yTest } = cancerSplit(split);
  const forest = new RandomForestClassifier({ nEstimators: 100, oobScore: true, seed: split.seed }).fit(XTrain, yTrain);
  const tree = new DecisionTreeClassifier().fit(XTrain, yTrain);
  return {
    split: split.seed, forest: forest,
    "tree test": tree.score(XTest, yTest), "forest test": forest.score(XTest, yTest), "forest OOB": forest.oobScore_!,
    "sklearn forest test": split.forest.testAccuracy, "sklearn OOB": split.forest.oobScore,
  };
});
showTable(forestRuns.map(({ forest, ...row }) => row), { caption: "Breast cancer: one tree vs a 100-tree forest (accuracy)" });
const column = (key: "tree test" | "forest test" | "forest OOB" | "sklearn forest test" | "sklearn OOB") => forestRuns.map((r) => r[key]);
const std = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
check("the forest beats the single tree on every one of the 5 held-out splits",
  forestRuns.every((r) => r["forest test"] > r["tree test"]), { treeMean: mean(column("tree test")), forestMean: mean(column("forest test")) });
check("seed-to-seed spread of test accuracy is smaller for the forest", std(column("forest test")) < std(column("tree test")),
  { treeStd: std(column("tree test")), forestStd: std(column("forest test")) });
// Calibration: on these splits |OOB − test| was at most 2.1 points and the mean difference −0.1 points (a 143-row
// test set alone has a standard error of about 2 points, about 0.9 for the mean of five).
check("OOB accuracy within 5 points of test accuracy on every split",
  forestRuns.every((r) => Math.abs(r["forest OOB"] - r["forest test"]) <= 0.05), { worst: Math.max(...forestRuns.map((r) => Math.abs(r["forest OOB"] - r["forest test"]))) });
checkClose("mean OOB accuracy = mean test accuracy over the 5 splits (±0.02, no optimistic bias)",
  mean(column("forest OOB")), mean(column("forest test")), { abs: 0.02 });
checkClose("mean forest test accuracy = scikit-learn's mean (±0.02)", mean(column("forest test")), mean(column("sklearn forest test")), { abs: 0.02 });
checkClose("mean OOB accuracy = scikit-learn's mean OOB (±0.02)", mean(column("forest OOB")), mean(column("sklearn OOB")), { abs: 0.02 });

// %% [markdown]
// **OOB must not be training accuracy** (if in-bag trees voted too, rows would be scored by trees that
// memorised them). The sharpest test has a known truth: on **coin-flip labels** nothing can be learnt, so an
// honest OOB accuracy is 0.5 ± 0.024 (the standard error for 426 rows), while training accuracy is 1.

// %%
const coinFlipOob = [0, 1, 2].map((seed) => {
  const labelRng = new Random(100 + seed);
  const coinFlips = split0.yTrain.map(() => labelRng.int(0, 2));
  const forest = new RandomForestClassifier({ nEstimators: 100, oobScore: true, seed }).fit(split0.XTrain, coinFlips);
  return { seed, "OOB accuracy": forest.oobScore_!, "training accuracy": forest.score(split0.XTrain, coinFlips) };
});
showTable(coinFlipOob, { caption: "Forests on coin-flip labels (split 0's training features)" });
// Over 10 label seeds the OOB accuracy ranged 0.453–0.568 (at most 2.8 standard errors from 0.5).
check("coin-flip labels: OOB accuracy within 0.1 of chance (0.5) for every seed, though training accuracy is 1",
  coinFlipOob.every((r) => Math.abs(r["OOB accuracy"] - 0.5) <= 0.1 && r["training accuracy"] === 1), { oob: coinFlipOob.map((r) => r["OOB accuracy"]) });

// %% [markdown]
// **Variance, measured directly.** The spread over splits mixes model variance with test-set noise. Cleaner:
// train 10 trees and 10 forests (50 trees each) on 10 random halves of split 0's training set and count how
// often a model disagrees with the majority of its kind on a test tumour (the variance term for 0–1 loss).

// %%
const halfRng = new Random(1);
const halves = Array.from({ length: 10 }, () => halfRng.sampleIndices(nTrain, Math.floor(nTrain / 2)));
const halfTreePredictions = halves.map((rows) => new DecisionTreeClassifier().fit(take(split0.XTrain, rows), take(split0.yTrain, rows)).predict(split0.XTest));
const halfForestPredictions = halves.map((rows, r) => new RandomForestClassifier({ nEstimators: 50, seed: r }).fit(take(split0.XTrain, rows), take(split0.yTrain, rows)).predict(split0.XTest));
/** Mean over test points of the fraction of models that disagree with the models' majority. */
function instability(predictions: number[][]): number {
  return mean(split0.yTest.map((_, i) => {
    const ones = predictions.filter((p) => p[i] === 1).length;
    return Math.min(ones, predictions.length - ones) / predictions.length;
  }));
}
const treeInstability = instability(halfTreePredictions);
const forestInstability = instability(halfForestPredictions);
console.log(`disagreement with the majority: tree ${treeInstability.toFixed(4)}, forest ${forestInstability.toFixed(4)}`);
check("forests trained on different halves disagree less than trees do (lower variance)", forestInstability < treeInstability,
  { treeInstability: treeInstability, forestInstability: forestInstability });

// %% [markdown]
// **How many trees?** Test accuracy as trees are added to the split-0 forest (soft voting over the first B
// trees). It settles after a few dozen trees; adding trees never causes overfitting, it only stops helping.

// %%
const firstForest = forestRuns[0]!.forest;
const runningSum = split0.XTest.map(() => [0, 0]);
const accuracyByTrees = firstForest.estimators_!.map((t) => {
  // A bootstrap sample could miss a class: add each tree's probabilities in the forest's class order.
  t.predictProba(split0.XTest).forEach((row, i) => firstForest.classes_!.forEach((c, k) => (runningSum[i]![k]! += row[t.classes_!.indexOf(c)] ?? 0)));
  return accuracyScore(split0.yTest, runningSum.map((row) => (row[1]! > row[0]! ? 1 : 0)));
});
const singleTreeTest = forestRuns[0]!["tree test"];
await showFigure(lineFigure([
  { name: "forest (first B trees)", x: accuracyByTrees.map((_, b) => b + 1), y: accuracyByTrees },
  { name: "one unlimited tree", x: [1, 100], y: [singleTreeTest, singleTreeTest] },
], { title: "Breast cancer, split 0: test accuracy vs number of trees", xTitle: "number of trees B", yTitle: "test accuracy" }));

// %% [markdown]
// **Feature importances** (mean decrease in impurity, averaged over trees) for the split-0 forest, ours vs
// scikit-learn's. Both forests rank the same "worst" size and concavity features on top; the check
// compares the top-5 sets on every split. (Impurity importances favour features with many distinct values;
// permutation importance on held-out data is the more reliable tool.)

// %%
const topFeatures = (importances: number[], k: number) => importances.map((v, j) => [v, j] as const).sort((a, b) => b[0] - a[0]).slice(0, k).map(([, j]) => j);
const shownFeatures = topFeatures(firstForest.featureImportances_!, 10).reverse();
const importanceBars = (name: string, importances: number[]) =>
  ({ type: "bar" as const, orientation: "h" as const, name: name, y: shownFeatures.map((j) => cancer.featureNames[j]!), x: shownFeatures.map((j) => importances[j]!) });
await showFigure({
  data: [importanceBars("ours (lib/ml/forest)", firstForest.featureImportances_!), importanceBars(`scikit-learn ${sk.sklearn}`, sk.cancer.splits[0]!.forest.featureImportances)],
  layout: { title: { text: "Random-forest feature importances, breast cancer split 0 (top 10)" }, barmode: "group",
    xaxis: { title: { text: "mean decrease in Gini impurity (sums to 1)" } }, legend: { x: 0.55, y: 0.05 }, margin: { l: 180 } },
}, { height: 520 });
const topOverlaps = forestRuns.map((r, s) => topFeatures(r.forest.featureImportances_!, 5).filter((j) => topFeatures(sk.cancer.splits[s]!.forest.featureImportances, 5).includes(j)).length);
check("on every split, at least 3 of our top-5 features are in scikit-learn's top 5", topOverlaps.every((o) => o >= 3), { overlaps: topOverlaps });

// %% [markdown]
// **Decision regions.** On two iris features (sepal length and width, where versicolor and virginica
// overlap) one unlimited tree carves thin axis-parallel slivers around single training points; the forest's
// average of 100 such trees gives smoother regions.

// %%
const iris = loadIris();
const irisXY = iris.data.map((x) => [x[0]!, x[1]!]);
const irisSplit = trainTestSplit(iris.target.length, { testFraction: 0.3, seed: 0, stratify: iris.target });
const [irisXTrain, irisYTrain] = [take(irisXY, irisSplit.train), take(iris.target, irisSplit.train)];
const [irisXTest, irisYTest] = [take(irisXY, irisSplit.test), take(iris.target, irisSplit.test)];
const irisTree = new DecisionTreeClassifier().fit(irisXTrain, irisYTrain);
const irisForest = new RandomForestClassifier({ nEstimators: 100, seed: 0 }).fit(irisXTrain, irisYTrain);
const gx = Array.from({ length: 120 }, (_, i) => 4 + (i * 4.2) / 119);
const gy = Array.from({ length: 100 }, (_, i) => 1.8 + (i * 2.8) / 99);
const gridPoints = gy.flatMap((y) => gx.map((x) => [x, y]));
const classColours = ["#1f77b4", "#ff7f0e", "#2ca02c"];
const regionPanel = (model: DecisionTreeClassifier | RandomForestClassifier, axis: "" | "2") => {
  const predicted = model.predict(gridPoints);
  const axes = { xaxis: `x${axis}`, yaxis: `y${axis}` };
  return [
    { type: "heatmap" as const, x: gx, y: gy, z: gy.map((_, i) => predicted.slice(i * gx.length, (i + 1) * gx.length)), zmin: 0, zmax: 2, showscale: false, opacity: 0.35,
      hoverinfo: "skip" as const, colorscale: classColours.flatMap((c, k) => [[k / 3, c], [(k + 1) / 3, c]] as [number, string][]), ...axes },
    ...iris.targetNames.map((name, k) => {
      const points = irisXTrain.filter((_, i) => irisYTrain[i] === k);
      return { type: "scatter" as const, mode: "markers" as const, name: `${name} (train)`, showlegend: axis === "", x: points.map((p) => p[0]!), y: points.map((p) => p[1]!),
        marker: { color: classColours[k], size: 6, line: { color: "white", width: 0.5 } }, ...axes };
    }),
  ];
};
const panelTitles = [`one unlimited tree (test acc. ${irisTree.score(irisXTest, irisYTest).toFixed(2)})`, `forest of 100 trees (test acc. ${irisForest.score(irisXTest, irisYTest).toFixed(2)})`];
await showFigure({
  data: [...regionPanel(irisTree, ""), ...regionPanel(irisForest, "2")],
  layout: {
    title: { text: "Iris on two features: decision regions of one tree vs a forest" }, legend: { orientation: "h", x: 0, y: -0.2 },
    xaxis: { domain: [0, 0.47], title: { text: "sepal length (cm)" } }, yaxis: { title: { text: "sepal width (cm)" } },
    xaxis2: { domain: [0.53, 1], title: { text: "sepal length (cm)" }, anchor: "y2" }, yaxis2: { anchor: "x2", showticklabels: false },
    annotations: panelTitles.map((text, p) => ({ text: text, x: p === 0 ? 0.235 : 0.765, y: 1.0, xref: "paper" as const, yref: "paper" as const, xanchor: "center" as const, yanchor: "bottom" as const, showarrow: false })),
  },
}, { width: 900, height: 480 });

// %% [markdown]
// ## 4. The seed's forest: 100 copies of one tree (S4-C5)
//
// The seed's S4-C5 answer grows `self.trees = [self._build_tree(X, y) for _ in range(100)]`: the same
// deterministic split search on the same full data, 100 times. `random` is imported and never used. With
// `bootstrap: false` and `maxFeatures: null` our forest does the same, and the result is one tree. Which
// randomness matters? The four combinations on wine (13 features, 178 wines, five stratified 70/30 splits),
// 100 trees each: either source alone makes the trees differ; together they do best.

// %%
const wine = loadWine();
const wineData = (rows: number[]) => ({ X: take(wine.data, rows), y: take(wine.target, rows) });
const wineSplits = [0, 1, 2, 3, 4].map((seed) => {
  const { train, test } = trainTestSplit(wine.target.length, { testFraction: 0.3, seed: seed, stratify: wine.target });
  return { train: wineData(train), test: wineData(test) };
});
const [wineTrain0, wineTest0] = [wineSplits[0]!.train, wineSplits[0]!.test];
const wineTrees = wineSplits.map(({ train }) => new DecisionTreeClassifier().fit(train.X, train.y));
const variants = [
  { name: "neither (the seed's forest)", bootstrap: false, maxFeatures: null },
  { name: "bootstrap only (bagging)", bootstrap: true, maxFeatures: null },
  { name: "random features only", bootstrap: false, maxFeatures: "sqrt" as const },
  { name: "both (random forest)", bootstrap: true, maxFeatures: "sqrt" as const },
];
const ablation = variants.map((v) => {
  const runs = wineSplits.map(({ train, test }, seed) => {
    const forest = new RandomForestClassifier({ nEstimators: 100, bootstrap: v.bootstrap, maxFeatures: v.maxFeatures, seed: seed }).fit(train.X, train.y);
    return { forest: forest, accuracy: forest.score(test.X, test.y), distinct: new Set(forest.estimators_!.map((t) => exportText(t))).size };
  });
  return { variant: v.name, "mean test accuracy": mean(runs.map((r) => r.accuracy)), "distinct trees (of 100), min over splits": Math.min(...runs.map((r) => r.distinct)), runs: runs };
});
showTable([
  { variant: "one unlimited tree", "mean test accuracy": mean(wineTrees.map((t, s) => t.score(wineSplits[s]!.test.X, wineSplits[s]!.test.y))), "distinct trees (of 100), min over splits": 1 },
  ...ablation.map(({ runs, ...row }) => row),
], { caption: "Wine, 5 splits: which source of randomness makes the forest" });
const [neither, bagging, featuresOnly, both] = ablation;
check("without bootstrap and feature sampling, the 100 trees are one tree (identical rules) on every split", neither!.runs.every((r) => r.distinct === 1));
checkAllClose("… and the 'forest' probabilities equal one tree's exactly on every split", neither!.runs.map((r, s) => r.forest.predictProba(wineSplits[s]!.test.X)),
  wineTrees.map((t, s) => t.predictProba(wineSplits[s]!.test.X)), { abs: 0 });
check("each source of randomness alone beats the seed's forest", bagging!["mean test accuracy"] > neither!["mean test accuracy"] && featuresOnly!["mean test accuracy"] > neither!["mean test accuracy"]);
// Calibration, ten wine splits: mean test accuracy 0.881 (one tree), 0.947 (bagging), 0.966 (features only),
// 0.977 (both); the 5-point margin sits well inside the 9.6-point gap.
check("bootstrap + random features beats the seed's forest by ≥ 5 points", both!["mean test accuracy"] >= neither!["mean test accuracy"] + 0.05,
  { both: both!["mean test accuracy"], neither: neither!["mean test accuracy"] });

// %% [markdown]
// ## 5. Follow-up: "Why does C4.5 divide the gain by the split information?"
//
// **Short answer.** Information gain favours attributes with many values. A customer-ID column puts every row
// in its own pure leaf, so its gain is the whole H(S), the largest possible, while it predicts nothing. C4.5's
// **gain ratio** IG(S, A) / H(A), with H(A) the entropy of the branch sizes (log₂ n for an ID), cancels that.
//
// **Long answer.** Even an attribute unrelated to the class gains information on a finite sample, and more
// the more values it has: for k values, c classes and n rows, 2n ln 2 · IG is approximately χ² with
// (k − 1)(c − 1) degrees of freedom (the G-test), so E[IG] ≈ (k − 1)(c − 1) / (2n ln 2) bits. Below, 400 draws
// of 100 rows with a fair binary label and three attributes (a weak real binary feature equal to the label 80 %
// of the time, a 10-valued random attribute, a row ID); then random k-valued attributes against the χ² formula.

// %%
const biasRng = new Random(3);
const groupsBy = (attribute: number[], labels: number[]) => {
  const groups = new Map<number, number[]>();
  attribute.forEach((a, i) => (groups.get(a) ?? groups.set(a, []).get(a)!).push(labels[i]!));
  return [...groups.values()];
};
const gainOfAttribute = (attribute: number[], labels: number[]) => informationGain(labels, groupsBy(attribute, labels));
const gainRatioOf = (attribute: number[], labels: number[]) => gainOfAttribute(attribute, labels) / entropy(attribute);
const biasDraws = Array.from({ length: 400 }, () => {
  const labels = Array.from({ length: 100 }, () => biasRng.int(0, 2));
  const attributes = [
    labels.map((v) => (biasRng.random() < 0.8 ? v : 1 - v)), // weak but real
    labels.map(() => biasRng.int(0, 10)), // 10 random values
    labels.map((_, i) => i), // row ID
  ];
  return { gains: attributes.map((a) => gainOfAttribute(a, labels)), ratios: attributes.map((a) => gainRatioOf(a, labels)) };
});
const winnerCounts = (key: "gains" | "ratios") => [0, 1, 2].map((j) => biasDraws.filter((d) => d[key].indexOf(Math.max(...d[key])) === j).length);
showTable(["weak real feature (2 values)", "random attribute (10 values)", "row ID (100 values)"].map((name, j) => ({
  attribute: name,
  "mean IG (bits)": mean(biasDraws.map((d) => d.gains[j]!)),
  "mean gain ratio": mean(biasDraws.map((d) => d.ratios[j]!)),
  "chosen by IG (of 400)": winnerCounts("gains")[j]!,
  "chosen by gain ratio": winnerCounts("ratios")[j]!,
})), { caption: "Which attribute wins the root split, over 400 random draws of 100 rows" });
// IG(ID) = H(S) is the largest gain possible, so the first half cannot fail; gain ratio chose the real feature 386 times.
check("information gain picks the row ID in every draw; gain ratio picks the real feature in ≥ 90 % of draws",
  winnerCounts("gains")[2] === 400 && winnerCounts("ratios")[0]! >= 360, { byGain: winnerCounts("gains"), byRatio: winnerCounts("ratios") });

const chiSquareRows = [4, 8, 16].map((k) => {
  const gains = Array.from({ length: 600 }, () => {
    const labels = Array.from({ length: 400 }, () => biasRng.int(0, 2));
    return gainOfAttribute(labels.map(() => biasRng.int(0, k)), labels);
  });
  return { "values k": k, "mean IG of a random attribute (bits)": mean(gains), "χ² approximation (k − 1)/(2n ln 2)": (k - 1) / (400 * 2 * Math.LN2) };
});
showTable(chiSquareRows, { caption: "Irrelevant attributes gain more the more values they have (n = 400, 600 draws each)" });
// The mean of 600 draws has a relative standard error of √(2/(k − 1))/√600 ≤ 3.3 %; the χ² approximation itself is
// a few per cent off at k = 16 (cells of 12.5 rows). Measured gaps: 0.9, 1.5 and 3.5 %.
check("mean gain of a random k-valued attribute = (k − 1)/(2n ln 2) within 12 % for k = 4, 8, 16, and rises with k",
  chiSquareRows.every((r) => Math.abs(r["mean IG of a random attribute (bits)"] / r["χ² approximation (k − 1)/(2n ln 2)"] - 1) <= 0.12) &&
  chiSquareRows.every((r, i) => i === 0 || r["mean IG of a random attribute (bits)"] > chiSquareRows[i - 1]!["mean IG of a random attribute (bits)"]));

// %% [markdown]
// ## 6. Follow-up: "How does a tree do regression?"
//
// **Short answer.** The same greedy growth with the within-node variance of the target as the impurity: a split
// maximises the decrease of n·Var (the children's summed squared error falls most), and a leaf predicts the mean
// of its training targets, so the model is a step function. `DecisionTreeRegressor` (`lib/ml/tree.ts`) only
// swaps the classifier's criterion; its sweep keeps running sums S_L, S_R and maximises S_L²/n_L + S_R²/n_R.
//
// **Long answer.** On 80 noisy samples of sin x, depth 1 is one step and depth 6 chases the noise. The
// predictions on a grid must equal scikit-learn's at every depth (one feature, so no ties to break).

// %%
const curve = sk.curve;
const curveX = curve.x.map((v) => [v]);
const curveGrid = curve.grid.map((v) => [v]);
const regressionTrees = [1, 2, 3, 4, 5, 6].map((d) => new DecisionTreeRegressor({ maxDepth: d }).fit(curveX, curve.y));
checkAllClose("regression-tree predictions on the 241-point grid = scikit-learn's, at depths 1–6",
  regressionTrees.map((t) => t.predict(curveGrid)), [1, 2, 3, 4, 5, 6].map((d) => curve.treePredictions[String(d)]!), { abs: 1e-9 });
await showFigure(lineFigure([
  { name: "sin x", x: curve.grid, y: curve.grid.map(Math.sin) },
  { name: "depth 2", x: curve.grid, y: regressionTrees[1]!.predict(curveGrid) },
  { name: "depth 6", x: curve.grid, y: regressionTrees[5]!.predict(curveGrid) },
], { title: "Regression trees on 80 noisy samples of sin x: step functions", xTitle: "x", yTitle: "y" }));

// %% [markdown]
// ## 7. Follow-up: "How do you prune a tree?"
//
// **Short answer.** Stopping early (max depth, min samples) can stop before a split whose children would
// help. **Cost-complexity pruning** grows the full tree, then cuts it back to minimise
// R_α(T) = R(T) + α·|leaves(T)|, R(T) = Σ_leaves (n_t/n)·impurity(t); the subtrees chosen by growing α are
// nested, and α is chosen by cross-validation (scikit-learn's `ccp_alpha`).
//
// **Long answer.** Collapsing the branch T_t below node t into a leaf pays once
// α ≥ g(t) = (R(t) − R(T_t)) / (|leaves(T_t)| − 1). **Weakest-link pruning** repeatedly cuts the node with the
// smallest g; the g values form the pruning path (`lib/ml/tree-pruning.ts`, unit-tested against a brute-force
// search over all subtrees). The sin-x tree's path must be scikit-learn's; then split 0's tree, pruned:

// %%
const ourPath = new DecisionTreeRegressor().costComplexityPruningPath(curveX, curve.y);
checkAllClose(`the pruning path (${ourPath.ccpAlphas.length} alphas and impurities) of the sin-x tree = scikit-learn's`,
  [ourPath.ccpAlphas, ourPath.impurities], [curve.pruningPath.ccpAlphas, curve.pruningPath.impurities], { abs: 1e-12 });
const cancerPath = new DecisionTreeClassifier().costComplexityPruningPath(split0.XTrain, split0.yTrain);
const pathAlphas = [...new Set(cancerPath.ccpAlphas)].slice(0, -1);
// At most 12 points along the path: every refit regrows the full tree before pruning it.
const prunedTrees = pathAlphas.filter((_, i) => i % Math.ceil(pathAlphas.length / 12) === 0).map((alpha) => {
  const tree = new DecisionTreeClassifier({ ccpAlpha: alpha }).fit(split0.XTrain, split0.yTrain);
  return { alpha: alpha, leaves: tree.getNLeaves(), train: tree.score(split0.XTrain, split0.yTrain), test: tree.score(split0.XTest, split0.yTest) };
});
const pathTrace = (name: string, key: "train" | "test" | "leaves", extra: object = {}) =>
  ({ type: "scatter" as const, mode: "lines+markers" as const, name: name, x: prunedTrees.map((t) => t.alpha), y: prunedTrees.map((t) => t[key]), ...extra });
await showFigure({
  data: [pathTrace("train accuracy", "train"), pathTrace("test accuracy", "test"), pathTrace("leaves", "leaves", { yaxis: "y2", line: { dash: "dot" } })],
  layout: { title: { text: "Breast cancer, split 0: pruning along the path" }, xaxis: { title: { text: "ccpAlpha" } }, yaxis: { title: { text: "accuracy" } },
    yaxis2: { title: { text: "leaves" }, overlaying: "y", side: "right" }, legend: { x: 0.55, y: 0.5 } },
});

// %% [markdown]
// Training accuracy falls monotonically as α grows, while test accuracy stays near the unpruned tree's for a
// long stretch with a fraction of the leaves: most of the full tree's leaves fitted single training tumours.
//
// ## 8. Follow-up: "Random forest or gradient boosting?"
//
// **Short answer.** A **random forest** grows deep, low-bias trees **independently** and averages them: it
// reduces **variance**, is hard to overfit by adding trees and needs little tuning. **Gradient boosting** grows
// shallow, high-bias trees **sequentially**, each fitted to the ensemble's errors so far and added with a small
// learning rate: it reduces **bias**, usually wins on tabular data once learning rate, tree count and depth are
// tuned (early stopping on validation loss), and can overfit with too many stages.
//
// **Long answer.** Gradient boosting (Friedman 2001) is gradient descent in function space. Start from the best
// constant F₀ (the mean, or the log-odds). At stage m fit a small regression tree to the pseudo-residuals
// rᵢ = −∂L(yᵢ, F(xᵢ))/∂F (y − F for squared error, y − p for log-loss), give each leaf the loss-minimising value
// (the mean residual; for log-loss one Newton step Σ(y − p)/Σ p(1 − p)), and add it shrunk: F_m = F_{m−1} + ν·h_m.
// Shrinkage ν (0.01–0.3) trades more trees for better generalisation; `subsample` < 1 fits each stage on a
// random fraction of the rows. **XGBoost** uses a second-order expansion of the loss (gradients g, Hessians h):
// a leaf's weight is −Σg/(Σh + λ) and a split's gain ½[G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ)] − γ, so L2
// leaf penalties and a per-leaf cost are built into the split; missing values learn a default direction.
// **LightGBM** buckets each feature into ≤ 255 bins once (**histogram splits**, O(bins) per feature instead of
// sorting), grows **leaf-wise** (split the leaf with the largest gain, up to `num_leaves`) and subsamples rows
// with small gradients (GOSS). `lib/ml/boosting.ts` implements the classic algorithm; on sin x with depth-2
// trees and ν = 0.3 its staged predictions must equal scikit-learn's:

// %%
const { stages, stagedPredictions } = curve.boosting;
const boosted = new GradientBoostingRegressor({ nEstimators: curve.boosting.nEstimators, maxDepth: curve.boosting.maxDepth, learningRate: curve.boosting.learningRate }).fit(curveX, curve.y);
const ourStages = boosted.stagedPredict(curveGrid);
checkAllClose(`boosted predictions after ${stages.join(", ")} stages = scikit-learn's GradientBoostingRegressor`,
  stages.map((m) => ourStages[m - 1]!), stagedPredictions, { abs: 1e-9 });
await showFigure(lineFigure([
  { name: "sin x", x: curve.grid, y: curve.grid.map(Math.sin) },
  ...stages.map((m) => ({ name: `after ${m} stage${m > 1 ? "s" : ""}`, x: curve.grid, y: ourStages[m - 1]! })),
], { title: "Gradient boosting, depth-2 trees, ν = 0.3: each stage fits the residuals", xTitle: "x", yTitle: "prediction" }));

// %% [markdown]
// **Bias vs variance, measured.** Decision stumps (depth-1 trees) are the extreme high-bias learner. Bagging
// 60 stumps (bootstrap, all features) averages away variance a stump barely has; boosting 60 stumps (ν = 0.5)
// builds an additive model no single stump can express. On the five breast-cancer splits:

// %%
const stumpRuns = sk.cancer.splits.map((split) => {
  const { XTrain, yTrain, XTest, yTest } = cancerSplit(split);
  const stump = new DecisionTreeClassifier({ maxDepth: 1 }).fit(XTrain, yTrain);
  const bagged = new RandomForestClassifier({ nEstimators: 60, maxDepth: 1, maxFeatures: null, seed: split.seed }).fit(XTrain, yTrain);
  const boostedStumps = new GradientBoostingClassifier({ nEstimators: 60, maxDepth: 1, learningRate: 0.5 }).fit(XTrain, yTrain);
  return {
    split: split.seed,
    "stump test": stump.score(XTest, yTest), "bagged stumps test": bagged.score(XTest, yTest), "boosted stumps test": boostedStumps.score(XTest, yTest),
    "stump train": stump.score(XTrain, yTrain), "bagged stumps train": bagged.score(XTrain, yTrain), "boosted stumps train": boostedStumps.score(XTrain, yTrain),
  };
});
showTable(stumpRuns, { caption: "Breast cancer: one stump, 60 bagged stumps, 60 boosted stumps (accuracy)" });
// Calibration over these five splits and ten more stratified ones: boosted beat bagged by 2.1–6.4 test points,
// boosted training accuracy ≥ 0.998, bagged training accuracy at most 3.2 points above one stump's.
check("boosted stumps beat bagged stumps on test accuracy on every one of the 5 splits",
  stumpRuns.every((r) => r["boosted stumps test"] > r["bagged stumps test"]), { boosted: stumpRuns.map((r) => r["boosted stumps test"]), bagged: stumpRuns.map((r) => r["bagged stumps test"]) });
check("bias: boosting lifts training accuracy to ≥ 0.99 on every split; bagging leaves it within 5 points of one stump's",
  stumpRuns.every((r) => r["boosted stumps train"] >= 0.99 && r["bagged stumps train"] - r["stump train"] <= 0.05),
  { boosted: stumpRuns.map((r) => r["boosted stumps train"]), bagged: stumpRuns.map((r) => r["bagged stumps train"]), stump: stumpRuns.map((r) => r["stump train"]) });

// %% [markdown]
// ## Recap
//
// * A tree takes, at each node, the split with the largest impurity decrease: information gain (ID3), gain
//   ratio (C4.5, which stops many-valued attributes such as an ID from winning) or Gini decrease (CART).
//   On play tennis Outlook wins (0.2467 bits) and ID3 grows Mitchell's tree.
// * CART makes binary splits `x ≤ t`; ours matched scikit-learn's root, depth-3 partition and accuracy by depth.
// * An unlimited tree fits its training set and has high variance; depth, `minSamplesLeaf` or cost-complexity
//   pruning (weakest links first, α by cross-validation) trade it for bias. Regression trees split on the
//   within-node variance and predict leaf means.
// * A random forest (bootstrap rows + √d features per split + averaging) beat the tree on every split and its
//   OOB accuracy tracked test accuracy; without randomness (the seed's S4-C5) it is one tree.
// * Gradient boosting fits shallow trees to the negative gradient in sequence: it lowers bias where a forest
//   of independent deep trees lowers variance.
//
// ## Exercises
//
// 1. **Gini by hand.** Compute the Gini decrease of splitting play tennis on Humidity (high: 3 yes / 4 no,
//    normal: 6 yes / 1 no) from the counts, and check it against `informationGain(…, gini)`.
// 2. **When can a tree not fit its training set?** An unlimited tree reached 100 % training accuracy above.
//    Construct a dataset where no tree can, and say what the best training accuracy is.
// 3. **Why √d?** On wine, fit forests with `maxFeatures` 1, "sqrt" and null (all 13). Measure how similar
//    the trees are (mean fraction of test points on which two trees agree, over all pairs) and relate it to
//    ρσ² + (1 − ρ)σ²/B.
// 4. **Spot the bug (S4-C2).** The seed's decision tree, quoted below, crashes before it grows anything.
//    Find the bugs, then write a fixed version that keeps the seed's design (binary equality splits
//    `x[f] == v` on categorical features) and check it on play tennis.
//
//    ```python
//    import numpy as np
//    from collections import Counter
//
//    def entropy(y):
//        …  # −Σ p log₂ p over np.bincount(y) / len(y), skipping p = 0
//
//    def information_gain(y, a):
//        parent_entropy = entropy(y)
//        group_y = [y[a[i]] for i in range(len(a))]
//        group_entropy = entropy(group_y)
//        return parent_entropy - group_entropy
//
//    def best_split(X, y):
//        best_score = -1
//        best_split = None
//        for i in range(X.shape[1]):
//            unique_values = np.unique(X[:, i])
//            scores = []
//            for value in unique_values:
//                …  # left_y = y[np.where(X[:, i] == value)[0]], right_y likewise with !=
//                score = information_gain(y, np.array([left_y, right_y]))
//                scores.append(score)
//            if max(scores) > best_score:
//                best_score = max(scores)
//                best_split = i
//        return best_split, best_score
//
//    class DecisionTreeClassifier:
//        …  # __init__ stores max_depth; fit sets self.tree = self.build_tree(X, y)
//
//        def build_tree(self, X, y, depth=0):
//            num_samples, num_features = X.shape
//            unique_labels = set(y)
//            if len(unique_labels) == 1 or depth == self.max_depth:
//                return Counter(y).most_common(1)[0][0]
//            best_split = best_split(X, y)
//            if best_split is None:
//                return Counter(y).most_common(1)[0][0]
//            left_indices = np.where(X[:, best_split] == X[0, best_split])[0]
//            right_indices = np.where(X[:, best_split] != X[0, best_split])[0]
//            left_tree = self.build_tree(X[left_indices], y[left_indices], depth+1)
//            right_tree = self.build_tree(X[right_indices], y[right_indices], depth+1)
//            return (best_split, left_tree, right_tree)
//
//        …  # predict calls self._predict(sample, self.tree) for each sample
//
//        def _predict(self, sample, tree):
//            if isinstance(tree, int):
//                return tree
//            feature = tree[0]
//            if sample[feature] == sample[0][feature]:
//                return self._predict(sample, tree[1])
//            else:
//                return self._predict(sample, tree[2])
//    ```
// 5. **Spot the bug (S4-C5).** The seed's random forest:
//
//    ```python
//    import numpy as np
//    import random
//
//    class DecisionTreeClassifier:
//        …  # __init__ stores max_depth
//
//        def fit(self, X, y):
//            self.trees = [self._build_tree(X, y) for _ in range(100)]
//
//        def _build_tree(self, X, y, depth=0):
//            …  # exercise 4's build_tree, line for line
//
//        def predict(self, X):
//            predictions = []
//            for sample in X:
//                tree_predictions = []
//                for tree in self.trees:
//                    pred = self._predict(sample, tree)
//                    tree_predictions.append(pred)
//                predictions.append(max(set(tree_predictions), key=tree_predictions.count))
//            return predictions
//
//        def _predict(self, sample, tree):
//            …  # exercise 4's _predict, line for line
//    ```
//
//    Section 4 showed that its 100 trees are one tree. List its other bugs, then fix it **under a constraint**:
//    the split search stays the seed's (every split looks at all features, so no `maxFeatures`); only the data
//    each tree sees may change. Besides bootstrap rows, give each tree its own random √d features (Ho's
//    *random subspace* method, 1998). Does it beat the seed's forest on the breast-cancer splits, and how close
//    does it come to per-split feature sampling (`lib/ml/forest.ts`)?

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** Gini(S) = 1 − (9/14)² − (5/14)² = 0.4592; Gini(high) = 1 − (3/7)² − (4/7)² = 0.4898;
// Gini(normal) = 1 − (6/7)² − (1/7)² = 0.2449; the decrease is 0.4592 − ½·0.4898 − ½·0.2449 = 0.0918.

// %% tags=["solution"]
const humidityGiniClosedForm = (1 - (9 / 14) ** 2 - (5 / 14) ** 2) - (7 / 14) * (1 - (3 / 7) ** 2 - (4 / 7) ** 2) - (7 / 14) * (1 - (6 / 7) ** 2 - (1 / 7) ** 2);
checkClose("Gini decrease of Humidity: closed form = lib", gainOf("humidity")["Gini decrease lib"], humidityGiniClosedForm, { abs: 1e-12 });
checkClose("… = 0.0918", humidityGiniClosedForm, 0.0918, { abs: 1e-4 });

// %% [markdown] tags=["solution"]
// **2.** When two rows have identical features but different labels, no split can separate them, so they
// share a leaf and one of them is misclassified. The best training accuracy is then the accuracy of
// predicting the majority label within every group of identical rows. Example: x = 0, 0, 0, 1 with labels
// 0, 1, 1, 1 allows at most 3 of 4.

// %% tags=["solution"]
const conflicting = new DecisionTreeClassifier().fit([[0], [0], [0], [1]], [0, 1, 1, 1]);
check("identical rows with different labels cap training accuracy at the group-majority rate (3/4)",
  conflicting.score([[0], [0], [0], [1]], [0, 1, 1, 1]) === 3 / 4);

// %% [markdown] tags=["solution"]
// **3.** With fewer candidate features per split the trees are less alike (lower ρ), so averaging removes
// more variance, at the price of weaker individual trees. With all features only the bootstrap makes trees
// differ and they agree most; with one feature they agree least.

// %% tags=["solution"]
const agreementRows = ([1, "sqrt", null] as const).map((maxFeatures) => {
  const forest = new RandomForestClassifier({ nEstimators: 60, maxFeatures: maxFeatures, seed: 0, oobScore: true }).fit(wineTrain0.X, wineTrain0.y);
  const predictions = forest.estimators_!.map((t) => t.predict(wineTest0.X));
  const agreements = predictions.flatMap((a, i) => predictions.slice(i + 1).map((b) => a.filter((v, j) => v === b[j]).length / a.length));
  const treeAccuracy = mean(predictions.map((p) => accuracyScore(wineTest0.y, p)));
  return { maxFeatures: String(maxFeatures), "mean pairwise agreement": mean(agreements), "mean single-tree accuracy": treeAccuracy, "forest OOB": forest.oobScore_! };
});
showTable(agreementRows, { caption: "Wine split 0, 60 trees: how alike the trees are" });
check("trees agree more as more features are tried per split (1 < sqrt < all)",
  agreementRows[0]!["mean pairwise agreement"] < agreementRows[1]!["mean pairwise agreement"] && agreementRows[1]!["mean pairwise agreement"] < agreementRows[2]!["mean pairwise agreement"]);

// %% [markdown] tags=["solution"]
// **4.** What is wrong with the S4-C2 answer:
// 1. `best_split = best_split(X, y)` makes `best_split` a local name inside `build_tree`, so the call raises
//    *UnboundLocalError* before anything is grown.
// 2. `information_gain(y, a)` receives the children's **label arrays** and uses labels as indices
//    (`y[a[i]]`); `entropy` of that list of arrays fails (and `np.array([left_y, right_y])` with unequal
//    lengths is itself an error). Even "fixed" by concatenating the children, it computes
//    H(parent) − H(parent) = 0 for every split. The gain is H(parent) − Σₖ (nₖ/n) H(childₖ).
// 3. `best_split` returns `(feature, score)` and throws the best **value** away; `build_tree` then splits
//    on `X[0, feature]`, the value of the *first sample*, and indexes with the tuple. The `None` guard is
//    dead code because a tuple is never `None`.
// 4. No guard for an empty child or for "no split separates anything"; `Counter([]).most_common(1)[0]`
//    raises *IndexError*.
// 5. `_predict` tests `isinstance(tree, int)`, which is False for numpy integer labels, and compares with
//    `sample[0][feature]` (indexing a scalar) instead of the stored split value.
// 6. Only equality splits: fine for categories, useless for continuous features (CART uses `x ≤ t`).
//
// First, the seed's gain with the crash "fixed" by concatenating the children, on every candidate root
// split; then what its first-sample rule picks, against the best equality split:

// %% tags=["solution"]
const equalitySplits = tennis.featureNames.flatMap((_, f) => tennis.categories[f]!.map((_, v) => ({ feature: f, value: v })));
const childrenOf = (f: number, v: number) => [playLabels.filter((_, i) => tennis.data[i]![f] === v), playLabels.filter((_, i) => tennis.data[i]![f] !== v)];
const seedGains = equalitySplits.map(({ feature, value }) => entropy(playLabels) - entropy(childrenOf(feature, value).flat()));
const trueGains = equalitySplits.map(({ feature, value }) => informationGain(playLabels, childrenOf(feature, value)));
check("the seed's gain (children concatenated) is 0 for every one of the 10 equality splits", seedGains.every((g) => Math.abs(g) < 1e-12));
const bestEquality = equalitySplits[trueGains.indexOf(Math.max(...trueGains))]!;
// With all scores 0, the seed keeps feature 0 (the first to beat −1) and splits on row 0's value (sunny).
const seedChoiceGain = informationGain(playLabels, childrenOf(0, tennis.data[0]![0]!));
console.log(`best equality split: ${tennis.featureNames[bestEquality.feature]} == ${tennis.categories[bestEquality.feature]![bestEquality.value]} (IG ${Math.max(...trueGains).toFixed(4)}); the seed's choice outlook == sunny has IG ${seedChoiceGain.toFixed(4)}`);
checkClose("best equality split outlook == overcast: IG = h(9/14) − (10/14)·h(5/10), closed form", Math.max(...trueGains), h2(9 / 14) - (10 / 14) * h2(5 / 10), { abs: 1e-12 });

// %% [markdown] tags=["solution"]
// The fix keeps the seed's design, binary splits `x[f] == v`, with the gain computed correctly, the split
// value stored with the feature, empty children excluded, and the same value compared at prediction time.
// The independent check: an equality split `x_f == v` is exactly scikit-learn's split `onehot(f = v) ≤ 0.5`
// on one-hot encoded features (with the children swapped). The fixture holds every distinct
// `DecisionTreeClassifier(criterion="entropy")` over 100 random states on the one-hot table; ignoring
// which child is drawn on which side, all of them make the same partition, and so must the fixed tree.

// %% tags=["solution"]
interface EqualityNode {
  counts: number[]; // class counts of the training rows that reach the node
  split?: { feature: number; value: number; equal: EqualityNode; other: EqualityNode };
}

function growEqualityTree(X: number[][], y: number[], nClasses: number, depth = 0, maxDepth: number | null = null): EqualityNode {
  const counts = Array.from({ length: nClasses }, (_, k) => y.filter((label) => label === k).length);
  const node: EqualityNode = { counts: counts };
  if (counts.filter((c) => c > 0).length === 1 || depth === maxDepth) return node;
  let best: { feature: number; value: number; gain: number } | null = null;
  for (let f = 0; f < X[0]!.length; f++) {
    for (const value of [...new Set(X.map((x) => x[f]!))].sort((a, b) => a - b)) {
      const equal = y.filter((_, i) => X[i]![f] === value);
      const other = y.filter((_, i) => X[i]![f] !== value);
      if (equal.length === 0 || other.length === 0) continue; // a split must separate something
      const gain = informationGain(y, [equal, other]);
      if (!best || gain > best.gain) best = { feature: f, value: value, gain: gain };
    }
  }
  if (!best) return node; // identical rows: nothing left to split
  const { feature, value } = best;
  const grow = (keep: (x: number[]) => boolean) => {
    const rows = X.map((_, i) => i).filter((i) => keep(X[i]!));
    return growEqualityTree(take(X, rows), take(y, rows), nClasses, depth + 1, maxDepth);
  };
  node.split = { feature: feature, value: value, equal: grow((x) => x[feature] === value), other: grow((x) => x[feature] !== value) };
  return node;
}

function predictEquality(node: EqualityNode, x: number[]): number {
  if (!node.split) return node.counts.indexOf(Math.max(...node.counts));
  return predictEquality(x[node.split.feature] === node.split.value ? node.split.equal : node.split.other, x);
}

const equalityTree = growEqualityTree(tennis.data, tennis.target, 2);
check("the fixed tree fits all 14 play-tennis days (scikit-learn's tree does too)",
  tennis.data.every((x, i) => predictEquality(equalityTree, x) === tennis.target[i]) && sk.playTennisOneHot.trainAccuracy === 1);
check("its root is the best equality split, outlook == overcast",
  equalityTree.split!.feature === 0 && tennis.categories[0]![equalityTree.split!.value] === "overcast");
const equalityPartition = (node: EqualityNode): string =>
  partitionKey(node.counts.reduce((s, c) => s + c, 0), node.counts, node.split ? [equalityPartition(node.split.equal), equalityPartition(node.split.other)] : []);
const skPartitions = new Set(sk.playTennisOneHot.distinctTrees.map((t) => skPartition(t.tree)));
check(`the fixed tree makes the same partition as scikit-learn's one-hot entropy tree (${sk.playTennisOneHot.distinctTrees.length} distinct trees, ${skPartitions.size} partition)`,
  skPartitions.size === 1 && skPartitions.has(equalityPartition(equalityTree)));

// %% [markdown] tags=["solution"]
// **5.** The S4-C5 "forest" (a class misnamed `DecisionTreeClassifier`) grows 100 identical trees on the same
// full data (section 4), so the vote is one tree's answer. It inherits every S4-C2 bug, and `Counter` and
// `best_split` are not even imported. There is no bootstrap, no random feature subset, no OOB estimate and no
// probability averaging; `random` is imported and unused. Under the constraint, each tree gets a bootstrap
// sample and its own random √d columns, and is grown on those columns with the full split search:

// %% tags=["solution"]
/** Random subspaces: each tree sees a bootstrap sample of the rows and its own √d random columns. */
function fitHandForest(X: number[][], y: number[], nTrees: number, seed: number): { tree: DecisionTreeClassifier; columns: number[] }[] {
  const rng = new Random(seed);
  const d = X[0]!.length;
  return Array.from({ length: nTrees }, () => {
    const rows = Array.from({ length: y.length }, () => rng.int(0, y.length));
    const columns = rng.sampleIndices(d, Math.floor(Math.sqrt(d)));
    return { tree: new DecisionTreeClassifier().fit(take(X, rows).map((x) => columns.map((j) => x[j]!)), take(y, rows)), columns: columns };
  });
}
function voteHandForest(trees: { tree: DecisionTreeClassifier; columns: number[] }[], X: number[][]): number[] {
  const votes = trees.map(({ tree, columns }) => tree.predict(X.map((x) => columns.map((j) => x[j]!))));
  return X.map((_, i) => {
    const counts = new Map<number, number>();
    votes.forEach((v) => counts.set(v[i]!, (counts.get(v[i]!) ?? 0) + 1));
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  });
}
const handForestRuns = sk.cancer.splits.map((split) => {
  const { XTrain, yTrain, XTest, yTest } = cancerSplit(split);
  const trees = fitHandForest(XTrain, yTrain, 100, split.seed);
  return { distinct: new Set(trees.map((t) => exportText(t.tree) + t.columns.join())).size, accuracy: accuracyScore(yTest, voteHandForest(trees, XTest)) };
});
console.log(`random-subspace forest test accuracy per split: ${handForestRuns.map((r) => r.accuracy.toFixed(3)).join(", ")}`);
check("every one of the 100 trees differs, on every split", handForestRuns.every((r) => r.distinct === 100));
const handForestAccuracies = handForestRuns.map((r) => r.accuracy);

// %% tags=["exercise-check"]
// handForestAccuracies: your fixed forest's test accuracy on each breast-cancer split (sk.cancer.splits, in
// order; cancerSplit(split) gives its training and test rows). "tree test" holds the seed forest's accuracies.
check("the fixed forest beats the seed's forest on mean test accuracy",
  mean(handForestAccuracies) > mean(column("tree test")), { fixed: mean(handForestAccuracies), seed: mean(column("tree test")) });
checkClose("… and comes within 3 points of per-split feature sampling (lib/ml/forest's mean test accuracy)", mean(handForestAccuracies), mean(column("forest test")), { abs: 0.03 });
