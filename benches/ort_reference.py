"""ONNX Runtime reference for `cargo bench --bench encoder -- --ort`. Benchmark-only: never a
runtime dependency of jianbao.

Builds the same BERT encoder as an ONNX graph from the model.safetensors jianbao imported,
checks that its pooled vectors match candle's (cosine > 0.999) on the bench's token ids, then
times the same batches (longest first, at most 64 sequences and 8192 padded tokens each). Then
the same for ORT's own int8 model: `quantize_dynamic` of the same graph, int8 weights per
channel, activations quantised at run time; its cosine to candle's f32 vectors is reported, not
checked.

usage: python3 benches/ort_reference.py target/bench-encoder/workloads.json THREADS
needs: pip install onnxruntime onnx safetensors numpy
"""

import json
import math
import os
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

BATCH_TOKENS, BATCH_MAX, REPEATS = 8192, 64, 3


def build_graph(weights, config):
    H, NH = config["hidden_size"], config["num_attention_heads"]
    hd, eps = H // NH, float(config["layer_norm_eps"])
    inits, nodes = [], []

    def const(name, array):
        array = np.asarray(array)
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array) if array.ndim else array, name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def linear(x, prefix, name):
        w = const(prefix + ".wT", weights[prefix + ".weight"].T)
        b = const(prefix + ".b", weights[prefix + ".bias"])
        return node("Add", [node("MatMul", [x, w], name + "_mm"), b], name)

    def layer_norm(x, prefix, name):
        w = const(prefix + ".w", weights[prefix + ".weight"])
        b = const(prefix + ".b", weights[prefix + ".bias"])
        return node("LayerNormalization", [x, w, b], name, axis=-1, epsilon=eps)

    e = "embeddings."
    word = node("Gather", [const("word_table", weights[e + "word_embeddings.weight"]), "input_ids"], "word")
    length = node("Gather", [node("Shape", ["input_ids"], "shape"), const("one_i", np.array(1, np.int64))], "len")
    ends = node("Unsqueeze", [length, const("ax0", np.array([0], np.int64))], "ends")
    pos = node("Slice", [const("pos_table", weights[e + "position_embeddings.weight"]), const("zero", np.array([0], np.int64)), ends], "pos")
    x = node("Add", [node("Add", [word, pos], "wp"), const("type0", weights[e + "token_type_embeddings.weight"][0])], "emb")
    x = layer_norm(x, e + "LayerNorm", "emb_ln")
    bias = node("Mul", [node("Sub", ["attention_mask", const("onef", np.array(1.0, np.float32))], "m1"), const("big", np.array(1e9, np.float32))], "mb")
    bias = node("Unsqueeze", [bias, const("ax12", np.array([1, 2], np.int64))], "mask_bias")
    scale = const("scale", np.array(1.0 / math.sqrt(hd), np.float32))
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        s = p + "attention.self."
        wqkv = np.concatenate([weights[s + n + ".weight"] for n in ("query", "key", "value")], 0)
        bqkv = np.concatenate([weights[s + n + ".bias"] for n in ("query", "key", "value")], 0)
        weights[p + "qkv.weight"], weights[p + "qkv.bias"] = wqkv, bqkv
        qkv = linear(x, p + "qkv", f"l{i}_qkv")
        qkv = node("Reshape", [qkv, const(f"l{i}_shape5", np.array([0, 0, 3, NH, hd], np.int64))], f"l{i}_qkv5")
        qkv = node("Transpose", [qkv], f"l{i}_qkvT", perm=[2, 0, 3, 1, 4])
        q, k, v = (node("Gather", [qkv, const(f"l{i}_idx{j}", np.array(j, np.int64))], f"l{i}_{n}", axis=0) for j, n in enumerate("qkv"))
        kT = node("Transpose", [k], f"l{i}_kT", perm=[0, 1, 3, 2])
        scores = node("Add", [node("Mul", [node("MatMul", [q, kT], f"l{i}_qk"), scale], f"l{i}_sc"), bias], f"l{i}_scores")
        probs = node("Softmax", [scores], f"l{i}_probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], f"l{i}_pv")], f"l{i}_ctxT", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, const(f"l{i}_shape3", np.array([0, 0, H], np.int64))], f"l{i}_ctx")
        ao = linear(ctx, p + "attention.output.dense", f"l{i}_ao")
        x = layer_norm(node("Add", [ao, x], f"l{i}_res1"), p + "attention.output.LayerNorm", f"l{i}_ln1")
        mid = linear(x, p + "intermediate.dense", f"l{i}_fi")
        erf = node("Erf", [node("Mul", [mid, const(f"l{i}_rs2", np.array(1 / math.sqrt(2), np.float32))], f"l{i}_g1")], f"l{i}_erf")
        gelu = node("Mul", [node("Mul", [mid, const(f"l{i}_half", np.array(0.5, np.float32))], f"l{i}_g2"), node("Add", [erf, "onef"], f"l{i}_g3")], f"l{i}_gelu")
        out = linear(gelu, p + "output.dense", f"l{i}_fo")
        x = layer_norm(node("Add", [out, x], f"l{i}_res2"), p + "output.LayerNorm", f"l{i}_ln2" if i + 1 < config["num_hidden_layers"] else "hidden")
    graph = helper.make_graph(
        nodes, "encoder",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "l"]), helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["b", "l"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["b", "l", H])],
        inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def batches(ids):
    order = sorted(range(len(ids)), key=lambda i: (-len(ids[i]), i))
    start = 0
    while start < len(order):
        longest = len(ids[order[start]])
        count = min(max(BATCH_TOKENS // longest, 1), BATCH_MAX, len(order) - start)
        yield order[start:start + count], longest
        start += count


def embed(session, ids, pad=1):
    out = [None] * len(ids)
    for members, longest in batches(ids):
        arr = np.full((len(members), longest), pad, np.int64)
        mask = np.zeros((len(members), longest), np.float32)
        for row, i in enumerate(members):
            arr[row, : len(ids[i])] = ids[i]
            mask[row, : len(ids[i])] = 1
        hidden = session.run(["hidden"], {"input_ids": arr, "attention_mask": mask})[0]
        pooled = (hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        for row, i in enumerate(members):
            out[i] = pooled[row]
    return np.stack(out)


def measure(session, workloads, started):
    result = {"load_s": time.perf_counter() - started}
    min_cos = 1.0
    for key, rate in (("seed", "seed_sentences_per_s"), ("t256", "tokens_per_s_256"), ("t512", "tokens_per_s_512")):
        ids, ours = workloads[key]["ids"], np.array(workloads[key]["vectors"], np.float32)
        theirs = embed(session, ids)
        min_cos = min(min_cos, float((theirs * ours).sum(1).min()))
        best = min(_timed(lambda: embed(session, ids)) for _ in range(REPEATS))
        result[rate] = (len(ids) if key == "seed" else sum(map(len, ids))) / best
    result["min_cosine"] = min_cos
    return result


def main():
    from onnxruntime.quantization import QuantType, quantize_dynamic

    workloads = json.load(open(sys.argv[1]))
    threads = int(sys.argv[2])
    model_dir = workloads["model_dir"]
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
    started = time.perf_counter()
    config = json.load(open(f"{model_dir}/config.json"))
    model = build_graph(load_file(f"{model_dir}/model.safetensors"), config)
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    result = measure(session, workloads, started)
    result["threads"] = threads
    if result["min_cosine"] <= 0.999:
        print(f"ORT and candle disagree: min cosine {result['min_cosine']}", file=sys.stderr)
        sys.exit(1)
    with tempfile.TemporaryDirectory() as tmp:
        f32_path, int8_path = os.path.join(tmp, "f32.onnx"), os.path.join(tmp, "int8.onnx")
        onnx.save(model, f32_path, save_as_external_data=True)
        started = time.perf_counter()
        quantize_dynamic(f32_path, int8_path, per_channel=True, weight_type=QuantType.QInt8)
        session = ort.InferenceSession(int8_path, options, providers=["CPUExecutionProvider"])
        result["int8"] = measure(session, workloads, started)
    print(json.dumps(result))


def _timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
