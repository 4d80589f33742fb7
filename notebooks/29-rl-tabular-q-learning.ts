// %% [markdown]
// # 29 · Reinforcement learning: MDPs, value iteration, Q-learning, reward design and bandits
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q24 | What is reinforcement learning; what does it do for decision-making? | 什么是强化学习（Reinforcement Learning）？它在智能决策任务中有什么作用？ |
// | S1-Q13 | What is reinforcement learning? | 什么是强化学习（Reinforcement Learning）？ |
// | S1-Q14 | How do you address reward engineering in RL? | 如何解决强化学习中的奖励工程（Reward Engineering）问题？ |
// | S4-C8 | Implement an RL game AI | 实现一个基于强化学习的游戏 AI |
// | S4-C15 | Implement an RL recommender system | 实现一个基于强化学习的推荐系统 |
// | S4-C18 | Implement an RL chatbot | 实现一个基于强化学习的聊天机器人 |
// | S4-C30 | Implement an RL autonomous-driving model | 实现一个基于强化学习的自动驾驶模型 |
//
// **The short answer an interviewer wants.** Reinforcement learning learns a **policy** π(a | s), a rule for
// choosing actions, from interaction: an agent in state s takes action a, the environment returns a reward r and a
// next state s′, and the goal is to maximise the expected **return** G = r₀ + γ r₁ + γ² r₂ + … (discount γ < 1).
// The problem is a **Markov decision process** (states, actions, transition probabilities, rewards, γ). The
// **value** V^π(s) is the expected return from s under π; Q^π(s, a) the same after first taking a. The optimal
// values obey the **Bellman optimality equation** Q*(s, a) = E[r + γ max_a′ Q*(s′, a′)], and acting greedily on Q*
// is optimal. With a known model, **value iteration** solves it; without one, **Q-learning** estimates Q* from
// sampled transitions, exploring (ε-greedy) while it learns. Unlike supervised learning there are no labels, only
// delayed and sparse rewards, so credit assignment, exploration versus exploitation and **reward design** are the
// hard parts. A recommender that shows one item and sees one click is the one-step special case, a **bandit**.
//
// Everything here runs in plain TypeScript on environments that exist (`lib/rl/`, seeded and unit-tested): the seed
// answers' code uses an `env` that is never defined and a Q-table with one dimension (section 7).

// %%
import { Random } from "./lib/random";
import { check, checkClose } from "./lib/check";
import { chainMdp, chainOptimalValues } from "./lib/rl/chain";
import { cliffWalk, fourByFourGrid, greedyPath, GRID_ACTIONS } from "./lib/rl/gridworld";
import { step, withRewards } from "./lib/rl/mdp";
import { evaluatePolicy, greedyPolicy, optimalActionSets, valueIteration } from "./lib/rl/value-iteration";
import { createQTable, epsilonGreedy, epsilonGreedyProbabilities, qLearning, sarsa } from "./lib/rl/td-control";
import { potentialShaping, progressBonus } from "./lib/rl/shaping";
import { epsilonGreedyBandit, randomPolicy, randomPolicyExpectedRegret, runBandit, ucbBandit } from "./lib/rl/bandit";
import { dialogueMdp, DIALOGUE_ACTIONS, DIALOGUE_DONE } from "./lib/rl/dialogue";
import { valuePolicyFigure } from "./lib/rl/figures";
import { movingAverage } from "./lib/math/smoothing";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { lineFigure } from "./lib/display/figures";

const SEED = 29;
const GAMMA = 0.9;

// %% [markdown]
// ## 1. S0-Q24, S1-Q13 · What reinforcement learning is, and what it does for decisions
//
// **Question.** What is reinforcement learning, and what role does it play in intelligent decision-making?
// (什么是强化学习（Reinforcement Learning）？它在智能决策任务中有什么作用？ / 什么是强化学习？)
//
// **Short answer.** RL learns *sequential* decisions: which action to take in each state so that the sum of
// discounted future rewards is largest, from trial and error rather than from labelled examples. The formal object is
// the MDP (S, A, P(s′ | s, a), R, γ); the solution is a policy; the tools are value functions and the Bellman
// equation. It is used where actions change what is seen next (games, robot control, resource allocation,
// recommendation over sessions, dialogue, fine-tuning LLMs from human preferences). **What the seeds miss:** both
// list agent / environment / state / action / reward, but neither defines the return, the discount, the policy or
// the value function, which are what every follow-up question is about.
//
// **Long answer, with the smallest MDP that has a closed form.** A chain of n states; "right" moves towards the
// end, "left" back; entering the last state pays R = 1 and ends the episode. From a state d moves away the reward
// comes on the d-th move, so V*(s) = γ^(d−1)·R. Value iteration repeats V(s) ← max_a Σ p (r + γ V(s′)) until the
// largest change in a sweep, the **Bellman residual**, is below a tolerance; since the update is a γ-contraction,
// the error to V* is then at most γ·tol/(1 − γ).

// %%
const CHAIN_LENGTH = 8;
const chain = chainMdp(CHAIN_LENGTH);
const chainSolution = valueIteration(chain, GAMMA, { tolerance: 1e-12 });
const chainClosedForm = chainOptimalValues(CHAIN_LENGTH, GAMMA);
showTable(chainSolution.values.map((v, s) => ({ state: s, "steps to the end": CHAIN_LENGTH - 1 - s, "V by value iteration": v.toFixed(6), "γ^(d−1)": chainClosedForm[s]!.toFixed(6) })));
const finalResidual = chainSolution.residuals[chainSolution.residuals.length - 1]!;
check("value iteration on the chain stopped with a Bellman residual < 1e-10", finalResidual < 1e-10, { sweeps: chainSolution.iterations, finalResidual });
check("V equals the closed form γ^(d−1)·R in every state (|diff| < 1e-12)", chainSolution.values.every((v, s) => Math.abs(v - chainClosedForm[s]!) < 1e-12));
check("the greedy policy moves right in every non-terminal state", greedyPolicy(chainSolution.q).slice(0, CHAIN_LENGTH - 1).every((a) => a === 1));

// %% [markdown]
// The 4×4 GridWorld of the rest of the notebook: start top-left, goal bottom-right (+1, the episode ends), every
// other move pays 0, bumping into the border leaves the agent in place. V*(s) = γ^(d−1) with d the Manhattan
// distance, so its values are the chain's again. In the **slippery** variant a move goes sideways with probability
// 0.2; every value drops, because some moves are wasted. The figure shows V* and every optimal action (two arrows
// where two moves are equally good).

// %%
const grid = fourByFourGrid();
const gridSolution = valueIteration(grid, GAMMA, { tolerance: 1e-12 });
const optimalSets = optimalActionSets(gridSolution.q);
const slipperySolution = valueIteration(fourByFourGrid({ slip: 0.2 }), GAMMA, { tolerance: 1e-12 });
check("4×4 grid: V*(s) = γ^(d−1), d = Manhattan distance to the goal (|diff| < 1e-10)", gridSolution.values.every((v, s) => grid.isTerminal(s) || Math.abs(v - GAMMA ** (grid.distanceToGoal(s) - 1)) < 1e-10));
check("grid residual < 1e-10", gridSolution.residuals[gridSolution.residuals.length - 1]! < 1e-10, { sweeps: gridSolution.iterations });
check("slipping lowers the value of every non-terminal state", slipperySolution.values.every((v, s) => grid.isTerminal(s) || v < gridSolution.values[s]!));
await showFigure(valuePolicyFigure(grid, gridSolution.values, optimalSets, { title: "4×4 grid: V* (colour, value) and every optimal action (arrows), γ = 0.9", xTitle: "column", yTitle: "row" }), { width: 560, height: 520 });
await showFigure(lineFigure([
  { name: "chain (8 states)", y: chainSolution.residuals },
  { name: "4×4 grid", y: gridSolution.residuals },
  { name: "slippery 4×4 grid", y: slipperySolution.residuals },
], { title: "Value iteration: Bellman residual per sweep", xTitle: "sweep", yTitle: "max |V_{k+1} − V_k|", logY: true }));

// %% [markdown]
// The deterministic problems stop after a handful of sweeps (the residual falls to 0 once the reward has travelled
// back from the goal); the slippery grid's residual shrinks geometrically, by about γ per sweep, as the contraction
// argument predicts.
//
// ## 2. S4-C8 · A game AI by tabular Q-learning
//
// **Question.** Implement a reinforcement-learning game AI. (实现一个基于强化学习的游戏 AI)
//
// **Short answer.** Keep a table Q[state][action]; act ε-greedily (random action with probability ε, otherwise
// the best one, ties broken at random); after each step move Q(s, a) towards the target r + γ max_a′ Q(s′, a′), or
// r alone when the episode ended: Q(s, a) ← Q(s, a) + α (target − Q(s, a)). Q-learning is **off-policy**: it learns
// the greedy policy's values whatever the behaviour policy, as long as every state–action pair keeps being tried.
// The game here is the 4×4 grid, with no access to its transition table, only to `step`.
//
// **ε-greedy first.** With |A| actions the greedy one is chosen with probability 1 − ε + ε/|A| (the random draw can
// also land on it) and every other with ε/|A|. Over n = 10,000 draws a frequency has binomial standard error
// √(p(1 − p)/n) ≤ 0.0036 here, so the ±0.02 band below is ≥ 5.6 standard errors wide: a correct sampler fails it
// with probability below 10⁻⁷, a sampler that forgets the ε/|A| share of the greedy action (0.80 instead of 0.85)
// fails it for sure.

// %%
const EPSILON = 0.2;
const DRAWS = 10_000;
const qRow = [0.1, 0.7, 0.3, 0.2];
const drawRng = new Random(SEED);
const counts = [0, 0, 0, 0];
for (let k = 0; k < DRAWS; k += 1) counts[epsilonGreedy(qRow, EPSILON, drawRng)]! += 1;
const expectedFrequencies = epsilonGreedyProbabilities(4, 1, EPSILON);
showTable(GRID_ACTIONS.map((name, a) => ({ action: name, "Q(s, a)": qRow[a], "frequency in 10,000 draws": (counts[a]! / DRAWS).toFixed(4), expected: expectedFrequencies[a]!.toFixed(4) })));
check("ε-greedy frequencies within ±0.02 of 1 − ε + ε/|A| (greedy) and ε/|A| (others)", counts.every((c, a) => Math.abs(c / DRAWS - expectedFrequencies[a]!) <= 0.02), { counts: counts.join(", ") });
const tieRng = new Random(SEED + 1);
const tieCounts = [0, 0, 0, 0];
for (let k = 0; k < 4000; k += 1) tieCounts[epsilonGreedy(createQTable(1, 4)[0]!, 0, tieRng)]! += 1;
check("on an all-zero row the greedy choice is spread over all 4 tied actions (each 1/4 ± 0.04 of 4,000)", tieCounts.every((c) => Math.abs(c / 4000 - 0.25) < 0.04), { tieCounts: tieCounts.join(", ") });

// %% [markdown]
// **Training.** 300 episodes from the start cell, α = 0.5, γ = 0.9. The behaviour explores heavily (ε = 0.8):
// with ε = 0.2, cells off the start–goal route (most often the corners 3 and 12) are visited too rarely for their
// Q rows to settle, and some greedy arrow was wrong on all 10 seeds tried after 200 episodes and on 16 of 20 after
// 1,000; off-policy learning lets us explore a lot and still learn the greedy policy. Calibration (run in `test/lib/rl/td-control.test.ts` and once
// by hand): with ε = 0.8 the greedy policy was optimal in every cell on 50 of 50 seeds at 200 episodes and at 300.
// The learning curve tracks the **greedy** policy after each episode: how many moves it needs from the start
// (optimal 6; 16 means it does not reach the goal).

// %%
const QL_EPISODES = 300;
const greedyStepsPerEpisode: number[] = [];
const qlRng = new Random(SEED);
let learned = createQTable(grid.nStates, grid.nActions);
for (let episode = 1; episode <= QL_EPISODES; episode += 1) {
  // One more episode each time, continuing from the current table: `qLearning` is restarted with one episode on a copy.
  const next = qLearning(grid, { episodes: 1, alpha: 0.5, gamma: GAMMA, epsilon: 0.8, start: grid.start, maxSteps: 200, rng: qlRng, initialQ: learned });
  learned = next.q;
  const path = greedyPath(grid, greedyPolicy(learned), 16);
  greedyStepsPerEpisode.push(path[path.length - 1] === grid.goal ? path.length - 1 : 16);
}
const learnedPolicy = greedyPolicy(learned);
const wrongStates = learnedPolicy.flatMap((a, s) => (grid.isTerminal(s) || optimalSets[s]!.includes(a) ? [] : [s]));
check("Q-table shape is [16 states][4 actions]", learned.length === 16 && learned.every((row) => row.length === 4));
check("Q-learning's greedy action is optimal (value iteration's set) in all 15 non-terminal states", wrongStates.length === 0, { wrongStates: wrongStates.join(", ") });
check("the learned greedy policy reaches the goal in the optimal 6 moves", greedyStepsPerEpisode[QL_EPISODES - 1] === 6);
const learnedValues = learned.map((row, s) => (grid.isTerminal(s) ? 0 : Math.max(...row)));
checkClose("max_a Q(start, a) is close to V*(start) = γ⁵ (within 0.01)", learnedValues[grid.start]!, GAMMA ** 5, { abs: 0.01 });
await showFigure(lineFigure([{ name: "greedy policy's moves to the goal (16 = never)", x: greedyStepsPerEpisode.map((_, k) => k + 1), y: greedyStepsPerEpisode }, { name: "optimal (6)", x: [1, QL_EPISODES], y: [6, 6] }], { title: "Q-learning on the 4×4 grid: the greedy policy after each episode", xTitle: "training episode", yTitle: "moves from start to goal" }));
await showFigure(valuePolicyFigure(grid, learnedValues, learnedPolicy.map((a) => [a]), { title: "Learned max_a Q(s, a) and greedy action after 300 episodes", xTitle: "column", yTitle: "row" }), { width: 560, height: 520 });

// %% [markdown]
// ### Follow-up: on-policy vs off-policy, SARSA vs Q-learning on the cliff
//
// **Question.** What is the difference between SARSA and Q-learning? **Answer.** SARSA is **on-policy**: its target
// r + γ Q(s′, a′) uses the action a′ the ε-greedy agent really takes next, so it learns the value of the exploring
// policy, mistakes included. Q-learning bootstraps on max_a′ Q(s′, a′), the value of the greedy policy it is not
// following. Sutton & Barto's cliff walk (4×12, −1 per move, −100 and back to the start for stepping off the
// bottom edge) makes the difference visible: Q-learning learns the optimal 13-move path along the edge, but while
// exploring with ε = 0.1 it falls off now and then; SARSA learns a longer path one or more rows up, which is worse
// for a greedy agent and better for the exploring agent that actually runs. Calibrated over seeds 0–19 (α = 0.1,
// 500 episodes): Q-learning's greedy path was the 13-move edge path on all 20; SARSA's reached the goal in 15 moves
// and walked at most 2 of the 10 edge cells (0 on 19 of 20); SARSA's mean return over the last 100 episodes was
// higher on all 20 (SARSA −19 to −27, Q-learning −37 to −55; the seed used here is in the table below).

// %%
const cliff = cliffWalk();
const cliffOptions = { episodes: 500, alpha: 0.1, gamma: 1, epsilon: 0.1, start: cliff.start, maxSteps: 1000 };
const cliffQ = qLearning(cliff, { ...cliffOptions, rng: new Random(SEED) });
const cliffSarsa = sarsa(cliff, { ...cliffOptions, rng: new Random(SEED) });
const qPath = greedyPath(cliff, greedyPolicy(cliffQ.q));
const sarsaPath = greedyPath(cliff, greedyPolicy(cliffSarsa.q));
const edgeCells = (path: number[]) => path.filter((s) => Math.floor(s / cliff.cols) === cliff.rows - 2 && s % cliff.cols > 0 && s % cliff.cols < cliff.cols - 1).length;
const lastHundredMean = (xs: number[]) => xs.slice(-100).reduce((a, b) => a + b, 0) / 100;
showTable([
  { agent: "Q-learning", "greedy path (moves)": qPath.length - 1, "edge cells on it": edgeCells(qPath), "mean return, last 100 episodes": lastHundredMean(cliffQ.episodeReturns).toFixed(1) },
  { agent: "SARSA", "greedy path (moves)": sarsaPath.length - 1, "edge cells on it": edgeCells(sarsaPath), "mean return, last 100 episodes": lastHundredMean(cliffSarsa.episodeReturns).toFixed(1) },
]);
check("Q-learning's greedy path is the optimal 13-move path along all 10 edge cells", qPath.length - 1 === 13 && edgeCells(qPath) === 10);
check("SARSA's greedy path reaches the goal, is longer and walks at most 2 edge cells", sarsaPath[sarsaPath.length - 1] === cliff.goal && sarsaPath.length - 1 > 13 && edgeCells(sarsaPath) <= 2, { moves: sarsaPath.length - 1, edge: edgeCells(sarsaPath) });
check("while exploring, SARSA earns more per episode than Q-learning (last 100 episodes)", lastHundredMean(cliffSarsa.episodeReturns) > lastHundredMean(cliffQ.episodeReturns));
const cliffCurves = lineFigure([
  { name: "Q-learning", y: movingAverage(cliffQ.episodeReturns, 25) },
  { name: "SARSA", y: movingAverage(cliffSarsa.episodeReturns, 25) },
], { title: "Cliff walk, ε = 0.1: return per episode (moving average of 25)", xTitle: "episode", yTitle: "return (sum of rewards)" });
cliffCurves.layout = { ...cliffCurves.layout, yaxis: { ...cliffCurves.layout?.yaxis, range: [-150, 0] } }; // the first episodes (down to −2,000) would flatten the rest
await showFigure(cliffCurves);
const sarsaValues = cliffSarsa.q.map((row, s) => (cliff.isTerminal(s) ? 0 : Math.max(...row)));
await showFigure(valuePolicyFigure(cliff, sarsaValues, greedyPolicy(cliffSarsa.q).map((a) => [a]), { title: "SARSA on the cliff: max_a Q and greedy actions (the safe path)", xTitle: "column", yTitle: "row" }), { width: 900, height: 380 });

// %% [markdown]
// ## 3. S1-Q14 · Reward engineering: shaping that is safe, and shaping that is hacked
//
// **Question.** How do you address reward engineering in reinforcement learning? (如何解决强化学习中的奖励工程（Reward
// Engineering）问题？)
//
// **Short answer.** The reward defines the task; the agent maximises exactly what it is paid for, so design it to
// pay for the *outcome* you want (reach the goal, book the table), not for proxies of progress. Sparse outcome
// rewards are safe but slow to learn from; add dense help only in forms that cannot change the optimal policy:
// **potential-based shaping** F(s, s′) = γΦ(s′) − Φ(s) for any function Φ of the state (Ng, Harada & Russell,
// 1999) adds −Φ(s) to every Q(s, a), so the ranking of actions in each state, hence the optimal policy, is
// unchanged. Any other bonus risks **reward hacking**: the agent finds a way to collect the bonus without doing the
// task. Other tools: penalties and constraints for unsafe behaviour, curricula, intrinsic (curiosity) rewards for
// exploration, learning the reward from demonstrations (inverse RL) or from human preferences (RLHF's reward model),
// and checking learned behaviour against the true objective. **What the seed gets wrong:** "cumulative reward" is
// the objective, not a design technique, and reward *scaling* (奖励压缩) only helps optimisation (e.g. DQN's
// clipping to [−1, 1]); it does not address what the reward asks for. It misses sparse rewards, shaping and hacking.
//
// **The demonstration.** On the 4×4 grid, shaping with Φ(s) = −(distance to the goal) pays for every step towards
// the goal and charges for every step away; value iteration on the shaped problem gives Q′ = Q* − Φ exactly, and
// the same optimal actions everywhere. The naive bonus "+0.5 for every move that gets closer" charges nothing for
// moving away, so stepping away and back earns 0.5 every two moves forever: from the cell next to the goal that is
// worth γ·0.5/(1 − γ²) = 2.37, more than the 1 + 0.5 of finishing.

// %%
const potential = (s: number) => -grid.distanceToGoal(s);
const shapedSolution = valueIteration(potentialShaping(grid, potential, GAMMA), GAMMA, { tolerance: 1e-12 });
const shiftError = Math.max(...gridSolution.q.flatMap((row, s) => (grid.isTerminal(s) ? [] : row.map((q, a) => Math.abs(shapedSolution.q[s]![a]! - (q - potential(s)))))));
check("potential shaping: Q′(s, a) = Q*(s, a) − Φ(s) in every state and action (|diff| < 1e-9)", shiftError < 1e-9, { shiftError });
check("potential shaping keeps the optimal action set of every state", JSON.stringify(optimalActionSets(shapedSolution.q)) === JSON.stringify(optimalSets));
const hackedGrid = progressBonus(grid, (s) => grid.distanceToGoal(s), 0.5);
const hackedSolution = valueIteration(hackedGrid, GAMMA, { tolerance: 1e-12 });
const hackedSets = optimalActionSets(hackedSolution.q);
const changedStates = hackedSets.flatMap((set, s) => (!grid.isTerminal(s) && JSON.stringify(set) !== JSON.stringify(optimalSets[s]) ? [s] : []));
checkClose("naive bonus: the cell next to the goal is worth the loop's γ·0.5/(1 − γ²)", hackedSolution.values[14]!, (GAMMA * 0.5) / (1 - GAMMA * GAMMA), { abs: 1e-9 });
check("naive bonus: entering the goal is no longer optimal next to it", !hackedSets[14]!.includes(1) && !hackedSets[11]!.includes(2));
check("naive bonus changes the optimal actions of some states", changedStates.length > 0, { changedStates: changedStates.join(", ") });
const hackedAgent = qLearning(hackedGrid, { episodes: QL_EPISODES, alpha: 0.5, gamma: GAMMA, epsilon: 0.8, start: grid.start, maxSteps: 200, rng: new Random(SEED) });
const trueValueOfHacker = evaluatePolicy(grid, greedyPolicy(hackedAgent.q), GAMMA)[grid.start]!;
check("a Q-learning agent trained on the naive bonus never reaches the goal: its true value from the start is 0", trueValueOfHacker === 0, { trueValueOfHacker, optimal: GAMMA ** 5 });
showTable([
  { reward: "sparse (+1 at the goal)", "optimal actions changed in": "—", "true value of the learned/optimal policy from the start": gridSolution.values[grid.start]!.toFixed(3) },
  { reward: "+ potential shaping γΦ(s′) − Φ(s)", "optimal actions changed in": "no state", "true value of the learned/optimal policy from the start": evaluatePolicy(grid, greedyPolicy(shapedSolution.q), GAMMA)[grid.start]!.toFixed(3) },
  { reward: "+ 0.5 per move closer (naive)", "optimal actions changed in": `${changedStates.length} states`, "true value of the learned/optimal policy from the start": trueValueOfHacker.toFixed(3) },
]);
await showFigure(valuePolicyFigure(grid, hackedSolution.values, hackedSets, { title: "Reward hacking: optimal actions under the naive progress bonus", xTitle: "column", yTitle: "row" }), { width: 560, height: 520 });

// %% [markdown]
// Under the naive bonus the arrows near the goal point *away* from it and back: the agent farms the bonus. (Not every
// loop-allowing bonus has to bite; this one does because the loop pays more than finishing. Asserting what the
// learned policy earns under the *true* reward is the general test.)
//
// ## 4. S4-C15 · An RL recommender: a contextual bandit
//
// **Question.** Implement a reinforcement-learning recommender system. (实现一个基于强化学习的推荐系统)
//
// **Short answer.** When showing an item does not change the user's future state (one request, one click), the
// problem is a **contextual bandit**: context = the user (segment, features), action = the item, reward = the
// click. There is no credit assignment over time, only exploration versus exploitation, measured by **regret**
// (clicks lost against always showing each user's best item). ε-greedy explores uniformly; **UCB** adds an
// optimism bonus c·√(ln t / n) that shrinks as an item is shown (regret grows like log t); Thompson sampling draws
// from the posterior. Full RL (a state that carries over, long-term value such as retention) is the next step and
// brings off-policy evaluation from logged data. **What the seed gets wrong:** it is S4-C8's broken tabular agent
// word for word; it has no users, items, context or reward model, and promises policy and value networks it does
// not build.
//
// **The simulator** (`lib/rl/bandit.ts`): three user segments, three items, click rates below; a segment arrives
// uniformly at random each round. The random policy's expected regret has a closed form, rounds × mean over
// segments of (best rate − mean rate) = 1,055.6 after 5,000 rounds, checked first.

// %%
const CLICK_RATES = [
  [0.5, 0.2, 0.1],
  [0.15, 0.45, 0.25],
  [0.1, 0.3, 0.55],
];
const ROUNDS = 5000;
showTable(CLICK_RATES.map((row, c) => ({ segment: c, "item 0": row[0], "item 1": row[1], "item 2": row[2] })));
const banditPolicies = () => [randomPolicy(3), epsilonGreedyBandit(3, 3, 0.1), ucbBandit(3, 3)];
const finalRegrets = (seed: number) => banditPolicies().map((policy) => runBandit(CLICK_RATES, policy, ROUNDS, new Random(seed)).cumulativeRegret[ROUNDS - 1]!);
const calibration = Array.from({ length: 20 }, (_, seed) => finalRegrets(seed));
const randomMean = calibration.reduce((sum, r) => sum + r[0]!, 0) / calibration.length;
const expectedRandom = randomPolicyExpectedRegret(CLICK_RATES, ROUNDS);
checkClose("random policy: mean regret over 20 seeds within 3 % of its closed form", randomMean, expectedRandom, { rel: 0.03 });
const worstRatios = [1, 2].map((k) => Math.max(...calibration.map((r) => r[k]! / r[0]!)));
showTable(["ε-greedy (ε = 0.1)", "UCB1 (c = √2)"].map((name, k) => ({ policy: name, "regret / random's, worst of seeds 0–19": worstRatios[k]!.toFixed(3), "mean of seeds 0–19": (calibration.reduce((sum, r) => sum + r[k + 1]! / r[0]!, 0) / calibration.length).toFixed(3) })));
check("calibration: ε-greedy and UCB1 stay below 0.25 × random's regret on all of seeds 0–19", worstRatios.every((r) => r < 0.25), { worstEpsilonGreedy: worstRatios[0]!, worstUcb: worstRatios[1]! });
const runs = banditPolicies().map((policy) => ({ name: policy.name, run: runBandit(CLICK_RATES, policy, ROUNDS, new Random(SEED)) }));
const [randomRegret, greedyRegret, ucbRegret] = runs.map((r) => r.run.cumulativeRegret[ROUNDS - 1]!);
check(`seed ${SEED}: ε-greedy's regret after 5,000 rounds < 0.25 × random's`, greedyRegret! < 0.25 * randomRegret!, { ratio: greedyRegret! / randomRegret! });
check(`seed ${SEED}: UCB1's regret after 5,000 rounds < 0.25 × random's`, ucbRegret! < 0.25 * randomRegret!, { ratio: ucbRegret! / randomRegret! });
const every25 = Array.from({ length: ROUNDS / 25 }, (_, k) => 25 * k + 24);
await showFigure(lineFigure(runs.map((r) => ({ name: r.name, x: every25.map((t) => t + 1), y: every25.map((t) => r.run.cumulativeRegret[t]!) })), { title: "Recommender bandit: cumulative regret (expected clicks lost)", xTitle: "round", yTitle: "cumulative regret (clicks)" }));

// %% [markdown]
// Over seeds 0–39 the worst ratios were 0.193 for UCB1 and 0.225 for ε-greedy: the ε-greedy margin is thin, and its bad
// seeds are those where an early lucky click locks the greedy choice onto a worse item until exploration corrects it
// (a larger ε, 0.15 or 0.2, explores more and was worse: 0.27 and 0.26). Random's regret grows linearly, ε-greedy's
// linearly too but ten times slower (it keeps exploring at rate ε for ever), UCB1's flattens like log t.
//
// ## 5. S4-C18 · An RL chatbot: a form-filling dialogue MDP
//
// **Question.** Implement a reinforcement-learning chatbot. (实现一个基于强化学习的聊天机器人)
//
// **Short answer.** RL fits dialogue where a conversation is a sequence of decisions with a delayed outcome: a
// task-oriented bot chooses dialogue *acts* (ask for a slot, confirm, submit) against a user simulator, rewarded for
// task success and penalised per turn. Modern chat LLMs use RL differently: **RLHF** trains a reward model on human
// preference pairs, then optimises the language-model policy with PPO against it, with a KL penalty to the
// supervised model that stops reward hacking of the learned reward. **What the seed gets wrong:** again S4-C8 word
// for word; nothing is dialogue-specific (no dialogue state, acts, user simulator or reward).
//
// **The miniature** (`lib/rl/dialogue.ts`): collect date, time and party size, then submit. State = which slots are
// filled (8 states) plus "ended"; asking fills a missing slot with probability 0.8 (the scripted user may not
// understand); every turn costs 1; submitting pays +10 with a full form and −10 otherwise. With discount γ, k missing
// slots are worth V_k = (−1 + γ·p·V_(k−1)) / (1 − γ(1 − p)), V₀ = −1 + 10 = 9 (ask until answered, then submit).

// %%
const dialogue = dialogueMdp({ answerRate: 0.8, turnCost: 1, successReward: 10 });
const DIALOGUE_GAMMA = 0.95;
const dialogueSolution = valueIteration(dialogue, DIALOGUE_GAMMA, { tolerance: 1e-12 });
const byMissing = [9];
for (let k = 1; k <= 3; k += 1) byMissing.push((-1 + DIALOGUE_GAMMA * 0.8 * byMissing[k - 1]!) / (1 - DIALOGUE_GAMMA * 0.2));
const missingCount = (filled: number) => 3 - [0, 1, 2].filter((slot) => filled & (1 << slot)).length;
check("value iteration on the dialogue equals the closed form V_k in all 8 form states (|diff| < 1e-9)", Array.from({ length: DIALOGUE_DONE }, (_, f) => f).every((f) => Math.abs(dialogueSolution.values[f]! - byMissing[missingCount(f)]!) < 1e-9));
const dialogueSets = optimalActionSets(dialogueSolution.q);
const dialogueAgent = qLearning(dialogue, { episodes: 2000, alpha: 0.2, gamma: DIALOGUE_GAMMA, epsilon: 0.2, start: 0, maxSteps: 50, rng: new Random(SEED) });
const dialoguePolicy = greedyPolicy(dialogueAgent.q);
showTable(Array.from({ length: DIALOGUE_DONE }, (_, f) => ({
  "filled slots": ["date", "time", "party"].filter((_, slot) => f & (1 << slot)).join(", ") || "none",
  "optimal acts (value iteration)": dialogueSets[f]!.map((a) => DIALOGUE_ACTIONS[a]).join(" / "),
  "Q-learning's act": DIALOGUE_ACTIONS[dialoguePolicy[f]!],
  "V*": dialogueSolution.values[f]!.toFixed(3),
})));
check("Q-learning's dialogue policy is optimal in every form state: ask a missing slot, submit only when full", dialoguePolicy.every((a, f) => dialogue.isTerminal(f) || dialogueSets[f]!.includes(a)));
check("submitting is optimal only with a full form", dialogueSets.every((set, f) => f === DIALOGUE_DONE || set.includes(3) === (f === DIALOGUE_DONE - 1)));

// %% [markdown]
// ## 6. S4-C30 · RL for autonomous driving
//
// **Question.** Implement a reinforcement-learning autonomous-driving model. (实现一个基于强化学习的自动驾驶模型)
//
// **Short answer (discussed, not simulated).** Driving has continuous, partially observed state (camera, lidar,
// other agents' intentions) and continuous actions (steering, throttle), so a table cannot hold it: it needs function
// approximation (notebook 30), actor–critic methods for continuous actions (DDPG, SAC, PPO) and, above all, a
// simulator (CARLA, highway-env) because exploration on real roads is unacceptable. Rewards mix progress, comfort and
// rule-following, and are easy to hack; safety is handled by constraints, shields and fallback controllers rather
// than a penalty alone. In practice most stacks use RL for narrow sub-problems (merging, planning in simulation) and
// lean on **imitation learning** from human driving plus offline RL, then face the sim-to-real gap. **What the seed
// gets wrong:** it is S4-C8 word for word: no state or action space, no simulator, no safety. The cliff walk above is
// the honest miniature of one lesson: an on-policy learner (SARSA) accounts for its own exploration and keeps away
// from the edge, the off-policy optimum drives along it.
//
// ## 7. Spot the bug: the seeds' Q-learning agent (S4-C8, and verbatim in S4-C15, S4-C18, S4-C30)
//
// > ```python
// > class QLearningAgent:
// >     def __init__(self, n_actions, learning_rate=0.1, discount_factor=0.9, epsilon=0.1):
// >         self.n_actions = n_actions
// >         ...
// >         self.q_values = np.zeros((n_actions))
// >
// >     def act(self, state):
// >         if random.random() < self.epsilon:
// >             action = random.choice([0, 1, 2, 3])
// >         else:
// >             action = np.argmax(self.q_values[state])
// >         return action
// >
// >     def update(self, state, action, reward, next_state, done):
// >         if not done:
// >             target = reward + self.discount_factor * np.max(self.q_values[next_state])
// >         else:
// >             target = reward
// >         current_q_value = self.q_values[state, action]
// >         new_q_value = current_q_value + self.learning_rate * (target - current_q_value)
// >         self.q_values[state, action] = new_q_value
// >
// > agent = QLearningAgent(n_actions=4)
// > for episode in range(1000):
// >     state = env.reset()
// >     done = False
// >     while not done:
// >         action = agent.act(state)
// >         next_state, reward, done, _ = env.step(action)
// >         agent.update(state, action, reward, next_state, done)
// >         state = next_state
// > ```
//
// **Question.** What does this agent do when it runs, and why? Fix it. (Answer in the solutions, exercise 1.)

// %% [markdown]
// ## Recap
//
// * RL maximises the expected discounted return of a policy in an MDP; V and Q are expected returns; the Bellman
//   optimality equation characterises Q*, and acting greedily on Q* is optimal.
// * Value iteration (known model) converges geometrically; stop on the Bellman residual. It equals the chain's
//   closed form γ^(d−1)·R.
// * Q-learning: a [states × actions] table, ε-greedy behaviour with random tie-breaking, target r + γ max Q(s′, ·)
//   or r alone at the end. Off-policy: it learns the greedy policy while exploring, if every pair keeps being tried.
//   SARSA is on-policy and learns the safer path on the cliff.
// * Reward design: pay for outcomes; potential-based shaping γΦ(s′) − Φ(s) cannot change the optimal policy; other
//   bonuses can be hacked, so check learned behaviour against the true reward.
// * Recommenders with one-step feedback are contextual bandits: ε-greedy and UCB cut random's regret by over 4×.
//
// ## Exercises
//
// 1. **Spot the bug (S4-C8 and its clones).** Section 7's agent: what does `act` return on the greedy branch, what
//    happens at the first `update`, and what else is wrong? Write the fixed agent against `lib/rl`'s `step` and show
//    that it learns the 4×4 grid.
// 2. **UCB's exploration constant.** Rerun the recommender with UCB1's c = 0 (pure greedy after one try of each),
//    c = 0.5 and c = 3 on seeds 0–19. Which is best here, which has the worst seed, and why?
// 3. **An engagement reward for the chatbot.** Pay the dialogue bot +1 for every turn (the user "engages") instead of
//    −1, keeping the ±10 for submitting. What does the optimal bot do now? Check it with value iteration.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** `self.q_values = np.zeros((n_actions))` is one-dimensional, so `self.q_values[state]` is a *number* and
// `np.argmax` of a number is 0: the greedy branch always returns action 0 (observed: `act(3) = 0`). The first
// `update` indexes `self.q_values[state, action]` on a 1-D array and raises *IndexError: too many indices*. Also:
// `random.choice([0, 1, 2, 3])` hard-codes four actions instead of `n_actions`; ties (every row starts at zeros)
// always go to action 0 instead of a random tied action; ε never decays; `env` is never defined, and the 4-tuple
// `env.step` is the old Gym API (Gymnasium returns `obs, reward, terminated, truncated, info`, and only
// `terminated` should cut the bootstrap). The fix: a [nStates][nActions] table, random tie-breaking, actions drawn
// from `range(n_actions)`, and a real environment:

// %% tags=["solution"]
class FixedQLearningAgent {
  readonly q: number[][];
  constructor(readonly nStates: number, readonly nActions: number, readonly learningRate = 0.5, readonly discount = GAMMA, public epsilon = 1) {
    this.q = createQTable(nStates, nActions); // [state][action], not [action]
  }
  act(state: number, rng: Random): number {
    return epsilonGreedy(this.q[state]!, this.epsilon, rng); // random over all nActions; ties broken at random
  }
  update(state: number, action: number, reward: number, nextState: number, done: boolean): void {
    const target = done ? reward : reward + this.discount * Math.max(...this.q[nextState]!);
    this.q[state]![action]! += this.learningRate * (target - this.q[state]![action]!);
  }
}
// The seed's greedy branch, transcribed: a 1-D table makes q[state] a number, and argmax over one number is 0.
const seedTable = new Array<number>(4).fill(0);
const seedGreedyAct = (state: number) => [seedTable[state]!].indexOf(Math.max(seedTable[state]!));
check("the seed's greedy act() returns 0 for every state (argmax of a scalar)", [0, 1, 2, 3].every((s) => seedGreedyAct(s) === 0));
const fixedAgent = new FixedQLearningAgent(grid.nStates, grid.nActions);
const agentRng = new Random(SEED + 2);
for (let episode = 0; episode < 300; episode += 1) {
  fixedAgent.epsilon = Math.max(0.3, 1 - episode / 200); // decays from 1 to 0.3
  let state = grid.start;
  for (let t = 0; t < 200; t += 1) {
    const action = fixedAgent.act(state, agentRng);
    const outcome = step(grid, state, action, agentRng);
    fixedAgent.update(state, action, outcome.reward, outcome.nextState, outcome.done);
    if (outcome.done) break;
    state = outcome.nextState;
  }
}
check("the fixed agent's greedy policy is optimal in every non-terminal state of the 4×4 grid", greedyPolicy(fixedAgent.q).every((a, s) => grid.isTerminal(s) || optimalSets[s]!.includes(a)));

// %% [markdown] tags=["solution"]
// **2.** c = 0 is greedy on noisy means: after one unlucky first impression an item is never shown again, so on
// some seeds it keeps showing a worse item for the whole run and the regret grows linearly (its worst seed can
// exceed random's). c = 3 explores long after the answer is clear. The bonus only has to outweigh the noise of a
// mean estimated from a few clicks; with click rates this far apart a small c (0.5) was best here. UCB1's c = √2
// comes from a worst-case bound, not from tuning.

// %% tags=["solution"]
const ucbRegretByC = [0, 0.5, 3].map((c) => Array.from({ length: 20 }, (_, seed) => runBandit(CLICK_RATES, ucbBandit(3, 3, c), ROUNDS, new Random(seed)).cumulativeRegret[ROUNDS - 1]!));
showTable([0, 0.5, 3].map((c, k) => ({ c, "mean regret": (ucbRegretByC[k]!.reduce((a, b) => a + b, 0) / 20).toFixed(1), "worst seed": Math.max(...ucbRegretByC[k]!).toFixed(1) })));
check("c = 0.5 has a lower mean regret than both c = 0 and c = 3", [0, 2].every((k) => ucbRegretByC[1]!.reduce((a, b) => a + b, 0) < ucbRegretByC[k]!.reduce((a, b) => a + b, 0)));
check("c = 0 has the worst single seed (greedy lock-in)", Math.max(...ucbRegretByC[0]!) > Math.max(...ucbRegretByC[1]!, ...ucbRegretByC[2]!));

// %% [markdown] tags=["solution"]
// **3.** With +1 per turn and γ = 0.95, talking forever is worth 1/(1 − γ) = 20, more than the 1 + 10 = 11 of
// submitting a full form: the optimal bot never submits. It keeps the user busy, the chatbot version of reward hacking (an engagement metric
// in place of the user's goal).

// %% tags=["solution"]
const engagementDialogue = withRewards(dialogue, (_s, _a, outcome) => outcome.reward + 2); // every turn +1 instead of −1
const engagementSolution = valueIteration(engagementDialogue, DIALOGUE_GAMMA, { tolerance: 1e-12 });
const engagementSets = optimalActionSets(engagementSolution.q);
check("with +1 per turn, submitting is optimal in no state", engagementSets.every((set, f) => f === DIALOGUE_DONE || !set.includes(3)));
checkClose("and the full form is worth 1/(1 − γ) = 20 (talking forever)", engagementSolution.values[DIALOGUE_DONE - 1]!, 1 / (1 - DIALOGUE_GAMMA), { abs: 1e-9 });
