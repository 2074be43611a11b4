# snipcheck: question 166: What is comprehension?
# guide: guides/python-advanced.txt, line 68

# example at line 72
evens = [x for x in range(10) if x % 2 == 0]
print(evens) # [0, 2, 4, 6, 8]
