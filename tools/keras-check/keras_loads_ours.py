"""Does real Keras load what kerasgraph writes? (tools/keras-check/README.md)

usage: KERAS_BACKEND=torch PYTHONPATH=<keras source> python3 keras_loads_ours.py CHECK_DIR OUT_DIR

CHECK_DIR is the `.keras-check/` folder that prepare.ts writes (its manifest.json names, per file, how to
open it, the inputs and the predictions Keras must reproduce). For every entry Keras opens the file
(`load_model(safe_mode=True)`, or `model_from_json` then `load_weights`), predicts, and the result goes to
OUT_DIR/report.json: loaded or the error Keras raised, its parameter count, the largest difference from the
expected predictions, and whether they agree within atol 1e-4 + rtol 1e-3.

It then writes, with Keras itself, the reference files the fixtures lack (OUT_DIR/written/): sharded
weights (`save_weights(max_shard_size=)`), `.keras` archives with NumPy weights (`weights_format="npz"`)
and unzipped model folders (`save(zipped=False)`), each with the inputs and Keras's predictions.
"""
import json
import os
import sys
import traceback

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np  # noqa: E402
import keras  # noqa: E402

check, out = sys.argv[1], sys.argv[2]
root = os.path.abspath(os.path.join(check, ".."))  # the repository: manifest paths are relative to it
manifest = json.load(open(os.path.join(check, "manifest.json")))
ATOL, RTOL = 1e-4, 1e-3


def as_list(ys):
    if isinstance(ys, dict):
        return list(ys.values())
    return list(ys) if isinstance(ys, (list, tuple)) else [ys]


def predict(model, xs):
    return [keras.ops.convert_to_numpy(y) for y in as_list(model.predict(xs if len(xs) > 1 else xs[0], verbose=0))]


def open_entry(load):
    if load["kind"] == "model":
        return keras.saving.load_model(os.path.join(root, load["file"]), compile=False, safe_mode=True)
    model = keras.models.model_from_json(open(os.path.join(root, load["json"])).read())
    model.load_weights(os.path.join(root, load["weights"]))
    return model


report = []
for e in manifest["entries"]:
    rec = {"id": e["id"], "route": e["route"], "expectedFrom": e["expectedFrom"]}
    try:
        model = open_entry(e["load"])
        rec["loaded"] = True
        rec["params"] = int(model.count_params())
        xs = [np.load(os.path.join(root, p)) for p in e["inputs"]]
        ys = predict(model, xs)
        want = [np.load(os.path.join(root, p)) for p in e["expected"]]
        if len(ys) != len(want):
            raise ValueError(f"{len(ys)} outputs, expected {len(want)}")
        diffs, ok = [], True
        for y, w in zip(ys, want):
            y = np.asarray(y)
            if y.shape != w.shape:
                raise ValueError(f"output shape {y.shape}, expected {w.shape}")
            diffs.append(float(np.max(np.abs(y.astype(np.float64) - w.astype(np.float64)))) if y.size else 0.0)
            ok = ok and bool(np.allclose(y, w, atol=ATOL, rtol=RTOL, equal_nan=True))
        rec["max_abs_diff"] = max(diffs) if diffs else 0.0
        rec["agrees"] = ok
    except Exception as err:  # what Keras raised is the finding
        rec.setdefault("loaded", False)
        rec["error"] = repr(err)[:800]
        rec["traceback"] = traceback.format_exc()[-1500:]
    report.append(rec)
    print(f"{'OK ' if rec.get('agrees') else 'BAD'} {e['id']} {e['route']} {rec.get('max_abs_diff', rec.get('error', ''))}"[:240], flush=True)

os.makedirs(out, exist_ok=True)
json.dump({"keras_version": keras.__version__, "backend": keras.backend.backend(), "entries": report,
           "notWritten": manifest.get("notWritten", [])}, open(os.path.join(out, "report.json"), "w"), indent=1)

# Reference files written by Keras itself, from fixture models, each with inputs and Keras's predictions.
written = os.path.join(out, "written")
keras3 = os.path.join(root, "fixtures", "keras3")
errors = []


def case_io(case, d):
    meta = json.load(open(os.path.join(keras3, case, "case.json")))
    xs = [np.load(os.path.join(keras3, case, i["file"])) for i in meta["inputs"]]
    os.makedirs(os.path.join(d, "in"), exist_ok=True)
    os.makedirs(os.path.join(d, "out"), exist_ok=True)
    for i, x in enumerate(xs):
        np.save(os.path.join(d, "in", f"{i}.npy"), x)
    return xs


def write_case(kind, case, make):
    d = os.path.join(written, kind, case.replace("/", "+"))
    try:
        model = keras.saving.load_model(os.path.join(keras3, case, "model.keras"), compile=False)
        xs = case_io(case, d)
        info = make(model, d) or {}
        for i, y in enumerate(predict(model, xs)):
            np.save(os.path.join(d, "out", f"{i}.npy"), y)
        info.update({"case": case, "keras_version": keras.__version__, "total_params": int(model.count_params())})
        json.dump(info, open(os.path.join(d, "written.json"), "w"), indent=1)
    except Exception as err:
        errors.append({"kind": kind, "case": case, "error": repr(err)[:600], "tb": traceback.format_exc()[-1200:]})


def sharded(gb):
    def make(model, d):
        model.save_weights(os.path.join(d, "model.weights.json"), max_shard_size=gb)
        return {"max_shard_size": gb, "call": f"model.save_weights('model.weights.json', max_shard_size={gb})"}
    return make


def npz(model, d):
    from keras.src.saving import saving_lib  # model.save() takes no weights_format; saving_lib does

    saving_lib.save_model(model, os.path.join(d, "model.keras"), weights_format="npz")
    return {"call": "keras.src.saving.saving_lib.save_model(model, 'model.keras', weights_format='npz')"}


def unzipped(model, d):
    model.save(os.path.join(d, "model"), zipped=False)
    return {"call": "model.save('model', zipped=False)"}


for case, gb in [("seed/mnist_mlp", 0.0002), ("seed/toy_resnet", 0.0002), ("seed/nested_autoencoder", 0.0001),
                 ("zoo/recurrent_family", 0.0001), ("zoo/conv_family", 0.0001), ("zoo/nested_shared", 0.00005),
                 ("seed/shared_embedding", 1)]:
    write_case("sharded", case, sharded(gb))
for case in ["zoo/recurrent_family", "seed/nested_autoencoder", "zoo/conv_family", "zoo/nested_shared"]:
    write_case("npz", case, npz)
for case in ["seed/mnist_mlp", "seed/nested_autoencoder", "zoo/recurrent_family"]:
    write_case("unzipped", case, unzipped)
json.dump(errors, open(os.path.join(written, "errors.json"), "w"), indent=1)
bad = [r for r in report if not r.get("agrees")]
print(f"done: {len(report)} checked, {len(bad)} not loaded or not agreeing; {len(errors)} errors writing references")
