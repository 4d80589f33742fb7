/* Reference outputs for test/random.test.ts: xoshiro128** (Blackman & Vigna, public domain reference code)
   seeded by splitmix32 as in lib/random.ts. Build and run: gcc -O2 xoshiro128starstar.c -o xo && ./xo */
#include <stdio.h>
#include <stdint.h>
static uint32_t st, s[4];
static uint32_t splitmix32(void){ st += 0x9e3779b9u; uint32_t z = st; z = (z ^ (z>>16)) * 0x85ebca6bu; z = (z ^ (z>>13)) * 0xc2b2ae35u; return z ^ (z>>16); }
static inline uint32_t rotl(const uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
uint32_t next(void) { const uint32_t result = rotl(s[1] * 5, 7) * 9; const uint32_t t = s[1] << 9;
 s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11); return result; }
int main(){ uint32_t seeds[2]={0,42}; for(int k=0;k<2;k++){ st=seeds[k]; for(int i=0;i<4;i++) s[i]=splitmix32(); printf("seed %u:", seeds[k]); for(int i=0;i<5;i++) printf(" %u", next()); printf("\n");} }
