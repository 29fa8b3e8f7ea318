// The generated client reads process.env.NODE_ENV to keep error messages out of production
// bundles; the bundler (Vite) replaces it, and this declares it for type-checking without
// Node's types.
declare const process: { env: { NODE_ENV?: string } };
