// The Tauri window freezes Object.prototype (`freezePrototype` in
// src-tauri/tauri.conf.json), which makes inherited built-ins read-only:
// `obj.toString = …` then throws in strict code instead of creating an own
// property (the "override mistake"). Milkdown's SerializerState does exactly
// that in its constructor, so without this every Markdown serialisation —
// every save — would fail inside the app. A writable `toString` on the class's
// own prototype lets the assignment create the instance property as intended.
//
// Imported by milkdown.ts before any editor exists; `npm run dev:fake` freezes
// the prototype the same way, so a regression shows in a plain browser too.

import { SerializerState } from '@milkdown/kit/transformer'

export function allowOwnToString(proto: object): void {
  if (!Object.prototype.hasOwnProperty.call(proto, 'toString')) {
    Object.defineProperty(proto, 'toString', {
      value: function toString(this: unknown): string {
        return Object.prototype.toString.call(this)
      },
      writable: true,
      configurable: true,
      enumerable: false,
    })
  }
}

allowOwnToString(SerializerState.prototype)
