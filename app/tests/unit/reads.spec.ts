// The app's batched reads against the real node the browser tests use (`pob serve`, started by
// playwright.config.ts), which refuses more than 100 addresses per getMultipleAccounts as a
// validator does.
import { webcrypto } from "node:crypto";
import { expect, test } from "@playwright/test";
import { getAddressDecoder, type Address } from "@solana/kit";
import { connect, MAX_ACCOUNTS_PER_READ, readAccounts } from "../../src/lib/rpc";
import { PROOF_OF_BRAIN_PROGRAM_ADDRESS } from "../../src/client";

const PORT = process.env.POB_TEST_PORT ?? "18899";

test("many accounts are read 100 at a time, in the order asked", async () => {
  const chain = connect({
    cluster: "test",
    rpcUrl: `http://127.0.0.1:${PORT}`,
    programId: PROOF_OF_BRAIN_PROGRAM_ADDRESS,
    mint: null,
    decimals: 6,
    tokenProgram: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" as Address,
    faucet: true,
  });
  const clock = "SysvarC1ock11111111111111111111111111111111" as Address;
  const rent = "SysvarRent111111111111111111111111111111111" as Address;
  const addresses = Array.from({ length: 2 * MAX_ACCOUNTS_PER_READ + 50 }, () =>
    getAddressDecoder().decode(webcrypto.getRandomValues(new Uint8Array(32))),
  );
  addresses[0] = clock;
  addresses[150] = rent;
  addresses[249] = clock;
  // One call naming them all is what a node refuses.
  await expect(chain.rpc.getMultipleAccounts(addresses, { encoding: "base64" }).send()).rejects.toThrow(/Too many inputs provided; max 100/);
  const accounts = await readAccounts(chain, addresses);
  expect(accounts).toHaveLength(250);
  expect([accounts[0]?.address, accounts[150]?.address, accounts[249]?.address]).toEqual([clock, rent, clock]);
  expect(accounts.filter((account) => account === null)).toHaveLength(247);
});
