-- An automation rule acts on tickets as its own kind of actor (docs/product/automation.md).
ALTER TYPE "actor_type" ADD VALUE 'automation';
