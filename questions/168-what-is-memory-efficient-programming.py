# snipcheck: question 168: What is memory-efficient programming?
# guide: guides/python-advanced.txt, line 85

# example at line 89
import sys
# Generator Size vs List Size
gen = (i for i in range(10000))
lst = [i for i in range(10000)]
print(sys.getsizeof(gen)) # ~100 bytes
print(sys.getsizeof(lst)) # ~85000 bytes
