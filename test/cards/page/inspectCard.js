/*
 * Loaded into the page by renderInBrowser.ts after the adaptivecards renderer:
 * parses a card at 1.5 under a host config, renders it, and reads from the
 * DOM what a person would trip over. Returns one line per problem.
 */
/* global window, document, getComputedStyle, Node, HTMLInputElement, HTMLSelectElement */
window.inspectCard = function inspectCard(args) {
  const AdaptiveCards = window.AdaptiveCards;
  const problems = [];
  const root = document.getElementById('card');
  root.innerHTML = '';
  root.style.width = `${args.width}px`;

  // Teams shows **bold**, _italic_ and line breaks; nothing else is needed by these cards.
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    result.outputHtml = escaped
      .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|\s)_(.+?)_(?=\s|$)/g, '$1<em>$2</em>')
      .replace(/\n/g, '<br>');
    result.didProcess = true;
  };

  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(args.hostConfig);
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  card.parse(args.card, context);
  const json = JSON.stringify(args.card);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    // An element unknown to the renderer (Teams' charts) is fine when it carries a fallback, which the schema checks.
    if (event.event === AdaptiveCards.ValidationEvent.UnknownElementType && /Chart\./.test(event.message) && json.includes('"fallback"')) continue;
    // Teams' dynamic typeahead (Data.Query) works on 1.5 cards in Teams; the schema check allows it by name too.
    if (event.event === AdaptiveCards.ValidationEvent.UnsupportedProperty && /"choices\.data"/.test(event.message)) continue;
    problems.push(`renderer: ${AdaptiveCards.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problems.push(`renderer: ${AdaptiveCards.ValidationEvent[event.event]}: ${event.message}`);
  }
  const element = card.render();
  if (!element) return [...problems, 'renderer: the card rendered to nothing'];
  root.appendChild(element);

  const describe = (node) => `${node.className || node.tagName.toLowerCase()} "${(node.value || node.textContent || '').trim().slice(0, 40)}"`;
  const measure = document.createElement('canvas').getContext('2d');
  const textWidth = (text, of) => {
    const style = getComputedStyle(of);
    measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return measure.measureText(text).width;
  };

  for (const node of Array.from(root.querySelectorAll('*'))) {
    const style = getComputedStyle(node);
    // Buttons are judged below, as a whole.
    const hasOwnText =
      !node.closest('button') && Array.from(node.childNodes).some((child) => child.nodeType === Node.TEXT_NODE && (child.textContent ?? '').trim() !== '');
    if (hasOwnText && node.scrollWidth > node.clientWidth + 1 && (style.overflowX === 'hidden' || style.textOverflow === 'ellipsis')) {
      problems.push(`cut: text wider than its box: ${describe(node)}`);
    }
    if (hasOwnText && node.scrollHeight > node.clientHeight + 1 && style.overflowY === 'hidden' && node.clientHeight > 0) {
      problems.push(`cut: text taller than its box: ${describe(node)}`);
    }
    if (node instanceof HTMLInputElement && node.type === 'text' && node.value && textWidth(node.value, node) > node.clientWidth - 8) {
      problems.push(`cut: one-line input shows part of its value: ${describe(node)}`);
    }
    if (node instanceof HTMLSelectElement && node.selectedOptions[0] && textWidth(node.selectedOptions[0].text, node) > node.clientWidth - 32) {
      problems.push(`cut: drop-down shows part of its choice: ${node.selectedOptions[0].text.slice(0, 40)}`);
    }
  }
  const edge = root.getBoundingClientRect().right;
  for (const button of Array.from(root.querySelectorAll('button'))) {
    const text = (button.textContent ?? '').trim();
    const style = getComputedStyle(button);
    const room = button.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (text && (button.scrollWidth > button.clientWidth + 1 || textWidth(text, button) > room + 1)) problems.push(`cut: button label "${text}"`);
    else if (button.getBoundingClientRect().right > edge + 1) problems.push(`cut: button "${text}" reaches past the card's edge`);
  }

  // WCAG AA for text: 4.5:1 (3:1 from 24 px, or 18.66 px bold).
  const channel = (value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const parse = (color) => (color.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r = 0, g = 0, b = 0]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const backgroundOf = (node) => {
    for (let at = node; at; at = at.parentElement) {
      const [r, g, b, a = 1] = parse(getComputedStyle(at).backgroundColor);
      if (a > 0 && r !== undefined) return [r, g ?? 0, b ?? 0];
    }
    return [255, 255, 255];
  };
  for (const node of Array.from(root.querySelectorAll('.ac-textBlock, .ac-textRun, .ac-fact-title, .ac-fact-value'))) {
    if (!(node.textContent ?? '').trim()) continue;
    const style = getComputedStyle(node);
    const fore = luminance(parse(style.color));
    const back = luminance(backgroundOf(node));
    const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push(`contrast: ${ratio.toFixed(1)}:1 for ${describe(node)}`);
  }
  return problems;
};
