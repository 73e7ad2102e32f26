// Runs before every other module (first import of main.ts).
//
// The Tauri window freezes Object.prototype before the page loads
// (`freezePrototype` in tauri.conf.json). The fake-backend mode does the same,
// so a library that writes to built-in prototypes fails in the browser too,
// not only inside the app. The real build drops this (build-time constant).
if (import.meta.env.VITE_FAKE_BACKEND === '1') {
  Object.freeze(Object.prototype)
}

export {}
