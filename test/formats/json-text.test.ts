import { describe, expect, it } from "vitest";
import { stringifyJson } from "../../src/formats/json-text.js";
import { pythonJsonDumps } from "../../src/formats/python-json.js";

/** RandomShear()'s config as Keras 3.16 stores it: `x_factor=(-0.0, 0.0)`. */
const shear = { name: "random_shear", x_factor: [-0, 0], y_factor: [-0, 0], fill_value: 0 };

describe("JSON text keeps negative zero, as Python's json.dumps writes it", () => {
  it("writes -0 as -0.0, which parses back to -0", () => {
    const text = stringifyJson(shear);
    expect(text).toBe('{"name":"random_shear","x_factor":[-0.0,0],"y_factor":[-0.0,0],"fill_value":0}');
    expect(Object.is(JSON.parse(text).x_factor[0], -0)).toBe(true);
    expect(stringifyJson({ a: { b: -0 } }, 1)).toBe('{\n "a": {\n  "b": -0.0\n }\n}');
    expect(stringifyJson(-0)).toBe("-0.0");
  });

  it("writes what JSON.stringify writes when there is no -0", () => {
    const value = { a: [1, 0, -1.5, null, "x\u0000-0"], b: { c: true } };
    expect(stringifyJson(value)).toBe(JSON.stringify(value));
    expect(stringifyJson(value, 2)).toBe(JSON.stringify(value, null, 2));
    expect(stringifyJson(undefined)).toBe("null");
  });

  it("leaves strings alone, even those holding what it marks -0 with", () => {
    const value = { s: "\u0000-0", t: ["\u0000-0\u0000", '"\u0000-0"'], z: -0 };
    const back = JSON.parse(stringifyJson(value));
    expect(back).toEqual(value);
    expect(Object.is(back.z, -0)).toBe(true);
  });

  it("pythonJsonDumps writes -0.0 with Python's separators", () => {
    expect(pythonJsonDumps(shear)).toBe(
      '{"name": "random_shear", "x_factor": [-0.0, 0], "y_factor": [-0.0, 0], "fill_value": 0}',
    );
  });

  it("pythonJsonDumps escapes as ensure_ascii does and writes floats as Python's repr", () => {
    // json.dumps({"a": "h\u00e9 \U0001F600 \x7f \"q\" \\ ,: 1e-7", "b": [1, 1e-07, 2.5e-05, 0.0001, 1.5e+300, -3]})
    const value = { a: 'h\u00e9 \u{1F600} \x7f "q" \\ ,: 1e-7', b: [1, 1e-7, 2.5e-5, 0.0001, 1.5e300, -3] };
    expect(pythonJsonDumps(value)).toBe(
      '{"a": "h\\u00e9 \\ud83d\\ude00 \\u007f \\"q\\" \\\\ ,: 1e-7", "b": [1, 1e-07, 2.5e-05, 0.0001, 1.5e+300, -3]}',
    );
  });
});
