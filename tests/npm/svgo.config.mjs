// svgo's default preset, less what drops parts of heart's SVG that it needs: the heart's id
// (cleanupIds) and, once inlineStyles has moved the animation into a style attribute, the
// prefers-reduced-motion rule that stops it; and role="img", which makes a titled heart an
// image to screen readers (removeUnknownsAndDefaults keeps it when asked). Used by
// tests/e2e/test_svg.py to compare like with like: svgo must find nothing else to shrink.
export default {
  plugins: [
    {
      name: 'preset-default',
      params: {
        overrides: {
          cleanupIds: false,
          inlineStyles: false,
          removeUnknownsAndDefaults: {keepRoleAttr: true},
        },
      },
    },
  ],
};
