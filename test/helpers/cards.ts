/** Every input of a card (id → value), as Teams submits them with an Action.Execute. */
export function inputsOf(card: unknown): Record<string, string> {
  const inputs: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const element = node as Record<string, unknown>;
      if (typeof element.type === 'string' && element.type.startsWith('Input.') && typeof element.id === 'string') {
        inputs[element.id] = element.value === undefined ? '' : String(element.value);
      }
      Object.values(element).forEach(walk);
    }
  };
  walk(card);
  return inputs;
}
