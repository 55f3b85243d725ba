import { TestEnvironment } from 'jest-environment-node';

/**
 * Jest's node environment with this process's typed-array classes instead of the sandbox's own.
 *
 * onnxruntime-node's native binding creates output tensors' data in the real Node realm, and
 * onnxruntime-common (loaded inside the sandbox) then checks `data instanceof Float32Array` against
 * the sandbox's class and throws "A float32 tensor's data must be type of function Float32Array()".
 * Sharing the classes makes both sides agree; test files that run ONNX models opt in with
 * `@jest-environment ./translator/src/models/onnx-test-environment.js`.
 */
const TYPED_ARRAYS = [
  'ArrayBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

export default class OnnxTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}
